namespace Blofin.Backfill.Export;

/// <summary>How complete an exported range is: the bars it should hold, those missing from the database, and those
/// proved absent at the exchange (holes). An export states these; it never pretends a range is complete.</summary>
/// <param name="WindowStartMs">Open time of the first bar expected: the range's start (not before the listing), or
/// the oldest exported bar when no start was given; null when nothing was expected.</param>
/// <param name="WindowEndMs">Open time of the last bar expected: the range's end (not after the last closed bar), or
/// the newest exported bar when no end was given; null when nothing was expected.</param>
/// <param name="ExpectedBars">Bars from <paramref name="WindowStartMs"/> to <paramref name="WindowEndMs"/>.</param>
/// <param name="MissingBars">Expected bars neither stored nor proved absent: not fetched (yet).</param>
/// <param name="AbsentBars">Expected bars the exchange was proved not to have (source gaps).</param>
public sealed record ExportCompleteness(
    long? WindowStartMs,
    long? WindowEndMs,
    long ExpectedBars,
    long MissingBars,
    long AbsentBars)
{
    /// <summary>True when every expected bar was exported.</summary>
    public bool IsComplete => MissingBars == 0 && AbsentBars == 0;
}
