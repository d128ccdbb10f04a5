namespace Blofin.Backfill.Storage;

/// <summary>What <see cref="CandleDatabase.MergeCandlesAsync"/> changed.</summary>
/// <param name="Inserted">Rows added (bars not stored before).</param>
/// <param name="Revisions">Stored rows replaced by the exchange's differing value, oldest first.</param>
public sealed record CandleMergeResult(int Inserted, IReadOnlyList<CandleRevision> Revisions);
