using Blofin.Backfill.Storage;
using Blofin.Backfill.Sync;

namespace Blofin.Backfill.Backfill;

/// <summary>The candle database in the blob: plans read the cached copy, reports read the blob's current
/// version (without the lease), writes merge under the lease.</summary>
public sealed class BlobCandleStore(LeasedDatabaseFile file) : ICandleStore
{
    public string Description => $"blob {file.Container}/{file.Blob}";

    public Task<T> ReadAsync<T>(Func<CandleDatabase, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        ReadFromAsync(read, file.GetSnapshotPathAsync, cancellationToken);

    /// <summary>Reads the blob's current version: one HEAD when the cached copy is current, a download when the
    /// blob changed; not the lease, so a report neither waits for nor slows down another instance's merge (only a
    /// blob that is absent or older than this build is migrated first, by one merge, as for any read).</summary>
    public Task<T> ReadCurrentAsync<T>(Func<CandleDatabase, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        ReadFromAsync(read, file.GetCurrentSnapshotPathAsync, cancellationToken);

    public async Task<T> WriteAsync<T>(Func<CandleDatabase, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        (await WriteWithTransferAsync(write, cancellationToken)).Value;

    public async Task<(T Value, SyncTransfer? Transfer)> WriteWithTransferAsync<T>(
        Func<CandleDatabase, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);

        // The merge may run this more than once (a lost lease starts over): every write here is idempotent. The run
        // rows a write records (ids after the last one before it) get the figures of the upload that carries them.
        var (before, after) = (0L, 0L);
        var merged = await file.MergeWithTransferAsync(
            async (path, ct) =>
            {
                await using var database = await CandleDatabase.OpenAsync(path, ct);
                before = after = await database.GetLastRunIdAsync(ct);
                var value = await write(database, ct);
                after = await database.GetLastRunIdAsync(ct);
                return value;
            },
            async (path, transfer, ct) =>
            {
                if (after > before)
                {
                    await using var database = await CandleDatabase.OpenAsync(path, ct);
                    await database.SetRunTransferAsync(
                        before, after, transfer.BytesDownloaded, transfer.BytesUploaded, transfer.BlocksStaged, transfer.BlocksReused, transfer.FileBytes, ct);
                }
            },
            cancellationToken);
        return (merged.Value, merged.Transfer);
    }

    private async Task<T> ReadFromAsync<T>(
        Func<CandleDatabase, CancellationToken, Task<T>> read,
        Func<CancellationToken, Task<string>> snapshot,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await ReadSnapshotAsync(read, snapshot, cancellationToken);
        }
        catch (SchemaMigrationNeededException)
        {
            // A new (empty) blob, or one written by an older build: one merge migrates it, then read again.
            await WriteAsync((_, _) => Task.FromResult(0), cancellationToken);
            return await ReadSnapshotAsync(read, snapshot, cancellationToken);
        }
    }

    private static async Task<T> ReadSnapshotAsync<T>(
        Func<CandleDatabase, CancellationToken, Task<T>> read,
        Func<CancellationToken, Task<string>> snapshot,
        CancellationToken cancellationToken)
    {
        var path = await snapshot(cancellationToken);
        await using var database = await CandleDatabase.OpenReadOnlyAsync(path, cancellationToken);
        return await read(database, cancellationToken);
    }
}
