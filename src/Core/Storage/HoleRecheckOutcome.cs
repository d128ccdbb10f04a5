using Blofin.Backfill.Coverage;

namespace Blofin.Backfill.Storage;

/// <summary>What the second look at a recorded source gap found. Every bar of <see cref="Hole"/> is in exactly
/// one of <see cref="Filled"/>, <see cref="Final"/> and <see cref="StillDue"/>.</summary>
/// <param name="Hole">The gap as recorded before the second look.</param>
/// <param name="Filled">Bars the exchange has now (their candles are stored; the gap no longer holds them).</param>
/// <param name="Final">Bars a successful page showed still absent: final, never asked for again.</param>
/// <param name="StillDue">Bars no successful page reached (a failed page, or outside the window): still due.</param>
/// <param name="RecheckedAtMs">When the second look was made.</param>
/// <param name="RequestAfterMs">The <c>after</c> cursor of the page that looked again.</param>
/// <param name="RequestLimit">The <c>limit</c> of the page that looked again.</param>
public sealed record HoleRecheckOutcome(
    SourceGap Hole,
    IReadOnlyList<TimeRange> Filled,
    IReadOnlyList<TimeRange> Final,
    IReadOnlyList<TimeRange> StillDue,
    long RecheckedAtMs,
    long RequestAfterMs,
    int RequestLimit)
{
    /// <summary>Whether the second look decided anything (else the recorded gap is left as it is).</summary>
    public bool IsResolved => Filled.Count > 0 || Final.Count > 0;
}
