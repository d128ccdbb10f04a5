using Blofin.Backfill.Storage;
using Blofin.Backfill.Sync;

namespace Blofin.Backfill.Backfill;

/// <summary>The candle database in the blob: plans read the cached copy, writes merge under the lease.</summary>
public sealed class BlobCandleStore(LeasedDatabaseFile file) : ICandleStore
{
    public string Description => $"blob {file.Container}/{file.Blob}";

    public async Task<T> ReadAsync<T>(Func<CandleDatabase, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await ReadSnapshotAsync(read, cancellationToken);
        }
        catch (SchemaMigrationNeededException)
        {
            // A new (empty) blob, or one written by an older build: one merge migrates it, then read again.
            await WriteAsync((_, _) => Task.FromResult(0), cancellationToken);
            return await ReadSnapshotAsync(read, cancellationToken);
        }
    }

    private async Task<T> ReadSnapshotAsync<T>(Func<CandleDatabase, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var path = await file.GetSnapshotPathAsync(cancellationToken);
        await using var database = await CandleDatabase.OpenReadOnlyAsync(path, cancellationToken);
        return await read(database, cancellationToken);
    }

    public async Task<T> WriteAsync<T>(Func<CandleDatabase, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        (await WriteWithTransferAsync(write, cancellationToken)).Value;

    public async Task<(T Value, SyncTransfer? Transfer)> WriteWithTransferAsync<T>(
        Func<CandleDatabase, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);

        // The merge may run this more than once (a lost lease starts over): every write here is idempotent.
        var merged = await file.MergeWithTransferAsync(
            async (path, ct) =>
            {
                await using var database = await CandleDatabase.OpenAsync(path, ct);
                return await write(database, ct);
            },
            cancellationToken);
        return (merged.Value, merged.Transfer);
    }
}
