namespace Blofin.Backfill.Sync;

/// <summary>What one lease cycle of <see cref="LeasedDatabaseFile"/> did: the merges it carried and what it moved.</summary>
/// <param name="Merges">Callers whose changes this cycle uploaded.</param>
/// <param name="Failed">Callers this cycle failed or dropped (their apply threw, or they cancelled).</param>
/// <param name="Attempts">Times the cycle took the lease: 1, plus one per lost lease.</param>
/// <param name="LeaseWaits">Times the lease was found held by another and the cycle waited.</param>
/// <param name="LeaseWaitTime">Time spent waiting for the lease.</param>
/// <param name="BytesDownloaded">Bytes of the blob downloaded (0 when the cached copy was current).</param>
/// <param name="BytesUploaded">Bytes uploaded (the blocks staged).</param>
/// <param name="Duration">The whole cycle, from the first try for the lease to its release.</param>
/// <param name="BlocksStaged">Blocks staged by the upload.</param>
/// <param name="BlocksReused">Blocks the upload committed again without moving them.</param>
/// <param name="FileBytes">The file's size after the cycle (0 when nothing was uploaded).</param>
public sealed record MergeCycleStatistics(
    int Merges,
    int Failed,
    int Attempts,
    int LeaseWaits,
    TimeSpan LeaseWaitTime,
    long BytesDownloaded,
    long BytesUploaded,
    TimeSpan Duration,
    int BlocksStaged = 0,
    int BlocksReused = 0,
    long FileBytes = 0)
{
    /// <summary>The figures a merge of this cycle reports.</summary>
    public SyncTransfer ToTransfer() => new(BytesDownloaded, BytesUploaded, BlocksStaged, BlocksReused, FileBytes, Merges);
}
