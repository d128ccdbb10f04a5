namespace Blofin.Backfill.Backfill;

/// <summary>What one drain of the queue did.</summary>
public sealed record QueueDrainSummary(int Processed, int Poisoned, int Retried, IReadOnlyList<BackfillResult> Results);
