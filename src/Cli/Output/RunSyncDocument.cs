using Blofin.Backfill.Sync;

namespace Blofin.Backfill.Cli.Output;

/// <summary>What the merge of one run moved between the database blob and the local copy (<c>sync</c> in
/// <see cref="RunSymbolDocument"/>): the figures of its lease cycle, which <see cref="SharedBy"/> runs shared.</summary>
/// <param name="BytesDownloaded">Block content downloaded to bring the cached copy up to date.</param>
/// <param name="BytesUploaded">Block content staged: only the blocks that changed.</param>
/// <param name="BlocksStaged">Blocks staged.</param>
/// <param name="BlocksReused">Blocks already in the blob, committed again without moving.</param>
/// <param name="FileBytes">The database file's size after the merge.</param>
/// <param name="SharedBy">Runs the cycle carried: count each cycle once when summing.</param>
internal sealed record RunSyncDocument(long BytesDownloaded, long BytesUploaded, int BlocksStaged, int BlocksReused, long FileBytes, int SharedBy)
{
    public static RunSyncDocument? From(SyncTransfer? transfer) => transfer is null
        ? null
        : new RunSyncDocument(transfer.BytesDownloaded, transfer.BytesUploaded, transfer.BlocksStaged, transfer.BlocksReused, transfer.FileBytes, transfer.SharedBy);
}
