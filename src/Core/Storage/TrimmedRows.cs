namespace Blofin.Backfill.Storage;

/// <summary>What <see cref="CandleDatabase.TrimBeforeAsync"/> deleted.</summary>
/// <param name="Candles">Candles opened before the cut.</param>
/// <param name="SourceGaps">Recorded source gaps that end before the cut.</param>
/// <param name="Revisions">Kept old values of candles opened before the cut.</param>
/// <param name="Runs">Runs finished before the cut.</param>
public sealed record TrimmedRows(long Candles, long SourceGaps, long Revisions, long Runs)
{
    public long Total => Candles + SourceGaps + Revisions + Runs;
}
