using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Blofin.Backfill.Sync;
using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Backfill;

public sealed class BlobCandleStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task WriteWithTransferAsync_AnyWrite_ReportsWhatItsMergeMoved()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        var store = new BlobCandleStore(file);

        var (inserted, transfer) = await store.WriteWithTransferAsync(
            (database, token) => database.InsertMissingAsync("BTC-USDT", Bar.OneMinute, CandleHistory.Candles("BTC-USDT", CandleHistory.StartMs, 600), token),
            ct);

        var blobBytes = (await container.Client.GetBlobClient(file.Blob).GetPropertiesAsync(cancellationToken: ct)).Value.ContentLength;
        Assert.Equal(600, inserted);
        Assert.NotNull(transfer);
        Assert.Equal((blobBytes, 1), (transfer.FileBytes, transfer.SharedBy));
        Assert.Equal(file.LastCycle!.ToTransfer(), transfer);
        Assert.True(transfer.BytesUploaded > 0 && transfer.BlocksStaged > 0, transfer.ToString());
    }

    [Fact]
    public async Task RunAsync_BlobStore_ResultCarriesTheSyncFiguresAndALocalStoreNone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await BackfillHarness.StartAsync();
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);

        var blob = await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT", lookbackHours: 2), new BlobCandleStore(file), null, ct);
        var local = await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT", lookbackHours: 2), harness.Store, null, ct);

        Assert.NotNull(blob.Sync);
        Assert.Equal(file.LastCycle!.ToTransfer(), blob.Sync);
        Assert.Null(local.Sync);
    }

    [Fact]
    public async Task RunAsync_BlobStore_RunRowInTheBlobCarriesTheFiguresOfTheUploadThatKeptIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await BackfillHarness.StartAsync();
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        var store = new BlobCandleStore(file);

        var first = await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT", lookbackHours: 24), store, null, ct);
        harness.Clock.Advance(TimeSpan.FromMinutes(30));
        var tick = await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT", lookbackHours: 24), store, null, ct);
        await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT", lookbackHours: 24), harness.Store, null, ct);

        var blobRows = await ReadRunsAsync(container.Client, file.Blob, ct);
        Assert.Equal(2, blobRows.Count);
        Assert.Equal(Figures(first.Sync!), Figures(blobRows[1]));
        Assert.Equal(Figures(tick.Sync!), Figures(blobRows[0]));
        Assert.True(tick.Sync!.BlocksReused > 0 && tick.Sync.BlocksStaged > 0, tick.Sync.ToString());
        var blobLength = (await container.Client.GetBlobClient(file.Blob).GetPropertiesAsync(cancellationToken: ct)).Value.ContentLength;
        Assert.Equal(blobLength, blobRows[0].FileBytes);
        await using var local = await CandleDatabase.OpenReadOnlyAsync(harness.DatabasePath, ct);
        var localRun = Assert.Single(await local.GetRunsAsync(null, null, null, 10, ct));
        Assert.Equal(((long?)null, (long?)null, (int?)null, (int?)null, (long?)null), Figures(localRun));
    }

    [Fact]
    public async Task WriteWithTransferAsync_EightWritesSharingOneCycle_EveryRunRowCarriesTheCycleFigures()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        var store = new BlobCandleStore(file);
        await store.WriteAsync((database, token) => database.InsertMissingAsync("BTC-USDT", Bar.OneMinute, CandleHistory.Candles("BTC-USDT", CandleHistory.StartMs, 1440), token), ct);
        var symbols = CandleHistory.Symbols(8);
        // Holding the lease while the writes arrive makes them all pending together: one cycle carries them.
        var lease = container.Client.GetBlobClient(file.Blob).GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);

        var pending = symbols.Select(symbol => store.WriteWithTransferAsync(
            async (database, token) =>
            {
                await database.InsertMissingAsync(symbol, Bar.OneMinute, CandleHistory.Candles(symbol, CandleHistory.StartMs, 30), token);
                return await database.RecordRunAsync(Run(symbol), token);
            },
            ct)).ToArray();
        await Task.Delay(200, ct);
        await lease.ReleaseAsync(cancellationToken: ct);
        var writes = await Task.WhenAll(pending);

        var rows = await ReadRunsAsync(container.Client, file.Blob, ct);
        Assert.Equal(symbols.Count, rows.Count);
        foreach (var (id, transfer) in writes)
        {
            Assert.NotNull(transfer);
            Assert.Equal(Figures(transfer), Figures(rows.Single(r => r.Id == id)));
        }

        Assert.All(writes, w => Assert.Equal(symbols.Count, w.Transfer!.SharedBy));
        var blobLength = (await container.Client.GetBlobClient(file.Blob).GetPropertiesAsync(cancellationToken: ct)).Value.ContentLength;
        Assert.Equal(blobLength, rows.Max(r => r.FileBytes));
    }

    private static GapFillRun Run(string instId) => new()
    {
        InstId = instId,
        Bar = Bar.OneMinute,
        Trigger = BackfillTriggers.Cli,
        WindowStartMs = CandleHistory.StartMs,
        WindowEndMs = CandleHistory.StartMs + (29 * CandleHistory.MinuteMs),
        ExpectedCount = 30,
        PresentAfter = 30,
        Inserted = 30,
        Status = GapFillRunStatus.Succeeded,
        StartedAtMs = CandleHistory.StartMs,
        FinishedAtMs = CandleHistory.StartMs,
    };

    private static (long?, long?, int?, int?, long?) Figures(SyncTransfer transfer) =>
        (transfer.BytesDownloaded, transfer.BytesUploaded, transfer.BlocksStaged, transfer.BlocksReused, transfer.FileBytes);

    private static (long?, long?, int?, int?, long?) Figures(GapFillRun run) =>
        (run.BytesDownloaded, run.BytesUploaded, run.BlocksStaged, run.BlocksReused, run.FileBytes);

    private static async Task<IReadOnlyList<GapFillRun>> ReadRunsAsync(BlobContainerClient container, string blob, CancellationToken ct)
    {
        using var folder = TempDirectory.Create();
        var path = folder.Combine("copy.sqlite");
        await container.GetBlobClient(blob).DownloadToAsync(path, ct);
        await using var database = await CandleDatabase.OpenReadOnlyAsync(path, ct);
        return await database.GetRunsAsync(null, null, null, 100, ct);
    }
}
