namespace Blofin.Backfill.Sync;

/// <summary>What one lease cycle of <see cref="LeasedDatabaseFile"/> did: the merges it carried and what it moved.</summary>
/// <param name="Merges">Callers whose changes this cycle uploaded.</param>
/// <param name="Failed">Callers this cycle failed or dropped (their apply threw, or they cancelled).</param>
/// <param name="Attempts">Times the cycle took the lease: 1, plus one per lost lease.</param>
/// <param name="LeaseWaits">Times the lease was found held by another and the cycle waited.</param>
/// <param name="LeaseWaitTime">Time spent waiting for the lease.</param>
/// <param name="BytesDownloaded">Bytes of the blob downloaded (0 when the cached copy was current).</param>
/// <param name="BytesUploaded">Bytes uploaded.</param>
/// <param name="Duration">The whole cycle, from the first try for the lease to its release.</param>
public sealed record MergeCycleStatistics(
    int Merges,
    int Failed,
    int Attempts,
    int LeaseWaits,
    TimeSpan LeaseWaitTime,
    long BytesDownloaded,
    long BytesUploaded,
    TimeSpan Duration);
