using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Blofin.Backfill.SyncWorker;
using Blofin.Backfill.Testing;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Sync;

/// <summary><see cref="LeasedDatabaseFile.GetCurrentSnapshotPathAsync"/>: the cached copy brought up to the blob's
/// version for a report, without the lease.</summary>
public sealed class LeasedDatabaseFileCurrentSnapshotTests(AzuriteFixture azurite)
{
    private const long FromMs = 1_700_000_040_000;
    private const string BlobName = "candles.sqlite";

    [Fact]
    public async Task GetCurrentSnapshotPathAsync_BlobChangedByAnother_DownloadsTheNewVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var readerCache = TempDirectory.Create();
        using var writerCache = TempDirectory.Create();
        await using var reader = await SyncTestFiles.CreateAsync(azurite, container.Name, readerCache.Path, ct);
        await using var writer = await SyncTestFiles.CreateAsync(azurite, container.Name, writerCache.Path, ct);
        await writer.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 60, "run-1", token), ct);
        var first = await reader.GetSnapshotPathAsync(ct);
        await writer.MergeAsync((path, token) => CandleRows.InsertAsync(path, "ETH-USDT", FromMs, 30, "run-2", token), ct);

        var stale = await CountCandlesAsync(await reader.GetSnapshotPathAsync(ct), ct);
        var current = await reader.GetCurrentSnapshotPathAsync(ct);

        // The planner's snapshot stays as it was (a stale copy can only over-fetch); the current one follows the blob.
        Assert.Equal(60L, stale);
        Assert.Equal(first, current);
        Assert.Equal(90L, await CountCandlesAsync(current, ct));
        var blobSize = (await container.Client.GetBlobClient(BlobName).GetPropertiesAsync(cancellationToken: ct)).Value.ContentLength;
        Assert.True(reader.Totals.BytesDownloaded > blobSize, $"{reader.Totals.BytesDownloaded} bytes downloaded: expected two versions of about {blobSize}.");
        Assert.Equal(0, reader.Totals.Cycles);
    }

    [Fact]
    public async Task GetCurrentSnapshotPathAsync_CopyCurrent_DownloadsNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        await file.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 60, "run-1", token), ct);
        var downloadedByTheMerge = file.Totals.BytesDownloaded;

        var path = await file.GetCurrentSnapshotPathAsync(ct);
        await file.GetCurrentSnapshotPathAsync(ct);

        // The merge made its upload the cached copy: a HEAD finds it current.
        Assert.Equal(downloadedByTheMerge, file.Totals.BytesDownloaded);
        Assert.Equal(60L, await CountCandlesAsync(path, ct));
    }

    [Fact]
    public async Task GetCurrentSnapshotPathAsync_LeaseHeldByAWriter_ReadsWithoutWaitingForIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var writerCache = TempDirectory.Create();
        using var readerCache = TempDirectory.Create();
        await using (var writer = await SyncTestFiles.CreateAsync(azurite, container.Name, writerCache.Path, ct))
        {
            await writer.MergeAsync((path, token) => CandleRows.InsertAsync(path, "SOL-USDT", FromMs, 45, "run-1", token), ct);
        }

        // A merge elsewhere holds the lease (infinitely, so it cannot expire during the test).
        var lease = container.Client.GetBlobClient(BlobName).GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(-1), cancellationToken: ct);
        try
        {
            await using var reader = await SyncTestFiles.CreateAsync(
                azurite, container.Name, readerCache.Path, ct, configure: o => o.LeaseAcquireTimeout = TimeSpan.FromSeconds(1));

            var path = await reader.GetCurrentSnapshotPathAsync(ct);

            Assert.Equal(45L, await CountCandlesAsync(path, ct));
            var properties = (await container.Client.GetBlobClient(BlobName).GetPropertiesAsync(cancellationToken: ct)).Value;
            Assert.Equal(LeaseState.Leased, properties.LeaseState);
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
    }

    private static async Task<long> CountCandlesAsync(string path, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(ct);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM candles;";
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }
}
