using Blofin.Backfill.Exchange;
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
}
