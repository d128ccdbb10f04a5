namespace Blofin.Backfill.Sync;

/// <summary>What the lease cycle that carried a merge moved between the database blob and the local copy.</summary>
/// <remarks>A cycle carries every merge waiting in the process at the time (group commit) and uploads once, so these
/// are the cycle's figures, shared by <see cref="SharedBy"/> merges: to sum over merges, count each cycle once.</remarks>
/// <param name="BytesDownloaded">Block content downloaded to bring the cached copy up to date (0 when it was current).</param>
/// <param name="BytesUploaded">Block content staged: only the blocks that changed.</param>
/// <param name="BlocksStaged">Blocks staged (Put Block).</param>
/// <param name="BlocksReused">Blocks already in the blob, committed again without moving.</param>
/// <param name="FileBytes">The database file's size after the merge.</param>
/// <param name="SharedBy">Merges the cycle carried (1 when this merge had the cycle alone).</param>
public sealed record SyncTransfer(
    long BytesDownloaded,
    long BytesUploaded,
    int BlocksStaged,
    int BlocksReused,
    long FileBytes,
    int SharedBy);
