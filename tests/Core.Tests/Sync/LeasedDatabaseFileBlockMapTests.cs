using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Blofin.Backfill.SyncWorker;
using Blofin.Backfill.Testing;
using Microsoft.Data.Sqlite;
using static Blofin.Backfill.Sync.CandleHistory;

namespace Blofin.Backfill.Sync;

/// <summary>The block map under <see cref="LeasedDatabaseFile"/>, against real Azurite and real SQLite files.</summary>
public sealed class LeasedDatabaseFileBlockMapTests(AzuriteFixture azurite)
{
    private const string BlobName = "candles.sqlite";
    private const int Tick = 30;

    [Fact]
    public async Task MergeAsync_ThirtyMinutesOfEightSymbolsOnFourWeeks_MovesAtMostFivePercentEachWayAndLeavesEveryCopyIdentical()
    {
        var ct = TestContext.Current.CancellationToken;
        var symbols = Symbols(8);
        const int History = 4 * MinutesPerWeek;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var writerCache = TempDirectory.Create();
        using var readerCache = TempDirectory.Create();
        await using var writer = await SyncTestFiles.CreateAsync(azurite, container.Name, writerCache.Path, ct);
        await using var reader = await SyncTestFiles.CreateAsync(azurite, container.Name, readerCache.Path, ct);
        await writer.MergeAsync((path, token) => InsertAsync(path, symbols, StartMs, History, token), ct);
        // The reader holds this version, as a worker that ran the previous tick does.
        await reader.GetSnapshotPathAsync(ct);

        var tick = await writer.MergeWithTransferAsync((path, token) => TickAsync(path, symbols, StartMs + (History * MinuteMs), Tick, token), ct);
        var refresh = await reader.MergeWithTransferAsync((path, token) => Task.FromResult(0), ct);

        var fileBytes = tick.Transfer.FileBytes;
        TestContext.Current.TestOutputHelper?.WriteLine($"file {fileBytes:N0} bytes; tick {tick.Transfer}; refresh {refresh.Transfer}");
        Assert.Equal(symbols.Count * Tick, tick.Value);
        Assert.InRange(tick.Transfer.BytesUploaded, 1, fileBytes / 20);
        Assert.InRange(refresh.Transfer.BytesDownloaded, 1, fileBytes / 20);
        Assert.Equal((0L, 0), (refresh.Transfer.BytesUploaded, refresh.Transfer.BlocksStaged));
        var blob = container.Client.GetBlockBlobClient(BlobName);
        var blobBytes = (await blob.DownloadContentAsync(ct)).Value.Content.ToArray();
        Assert.Equal(fileBytes, blobBytes.LongLength);
        Assert.Equal(blobBytes, await File.ReadAllBytesAsync(await writer.GetSnapshotPathAsync(ct), ct));
        Assert.Equal(blobBytes, await File.ReadAllBytesAsync(await reader.GetSnapshotPathAsync(ct), ct));
    }

    [Fact]
    public async Task MergeAsync_NothingChanged_CommitsNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        await file.MergeAsync((path, token) => InsertAsync(path, Symbols(2), StartMs, 600, token), ct);
        var blob = container.Client.GetBlockBlobClient(BlobName);
        var before = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ETag;

        var merged = await file.MergeWithTransferAsync((path, token) => Task.FromResult(0), ct);

        Assert.Equal(before, (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ETag);
        Assert.Equal((0L, 0L, 0), (merged.Transfer.BytesDownloaded, merged.Transfer.BytesUploaded, merged.Transfer.BlocksStaged));
        Assert.True(merged.Transfer.BlocksReused > 0);
    }

    [Theory]
    [InlineData(0)] // one Put Blob, as the code before the map uploaded every file under 256 MB
    [InlineData(16 * 1024)] // the SDK's own blocks (GUID IDs), of another size
    public async Task MergeAsync_BlobWrittenWithoutTheMap_ReadsItAndRewritesItAsAMap(int sdkBlockSize)
    {
        var ct = TestContext.Current.CancellationToken;
        var symbols = Symbols(4);
        await using var container = await azurite.CreateContainerAsync(ct);
        using var folder = TempDirectory.Create();
        var legacy = folder.Combine("legacy.sqlite");
        await InsertAsync(legacy, symbols, StartMs, 2 * 1440, ct);
        Assert.Null(await SqliteDatabaseFile.FinishAsync(legacy, ct));
        var blob = container.Client.GetBlockBlobClient(BlobName);
        await container.Client.GetBlobClient(BlobName).UploadAsync(legacy, new BlobUploadOptions
        {
            TransferOptions = sdkBlockSize == 0
                ? default
                : new StorageTransferOptions { InitialTransferSize = sdkBlockSize, MaximumTransferSize = sdkBlockSize },
        }, ct);
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, folder.Combine("cache"), ct);

        var first = await file.MergeWithTransferAsync((path, token) => TickAsync(path, symbols, StartMs + (2 * 1440 * MinuteMs), Tick, token), ct);
        var second = await file.MergeWithTransferAsync((path, token) => TickAsync(path, symbols, StartMs + (((2 * 1440) + Tick) * MinuteMs), Tick, token), ct);

        Assert.Equal(symbols.Count * Tick, first.Value);
        Assert.Equal(0, first.Transfer.BlocksReused);
        var list = (await blob.GetBlockListAsync(BlockListTypes.Committed, cancellationToken: ct)).Value;
        var map = BlockMap.FromBlockList(list);
        var blockSize = BlockSizePolicy.Default.ChooseFor(list.BlobContentLength);
        Assert.Equal(blockSize, map.BlockSize);
        Assert.Equal(map.Count, second.Transfer.BlocksStaged + second.Transfer.BlocksReused);
        Assert.InRange(second.Transfer.BlocksStaged, 1, map.Count - 1);
        Assert.Equal($"{blockSize}", (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.Metadata[DatabaseBlobTransfer.BlockSizeMetadata]);
        var snapshot = await file.GetSnapshotPathAsync(ct);
        Assert.Equal((await blob.DownloadContentAsync(ct)).Value.Content.ToArray(), await File.ReadAllBytesAsync(snapshot, ct));
        Assert.Equal(("ok", symbols.Count * ((2 * 1440) + (2L * Tick))), await CheckAndCountAsync(snapshot, ct));
    }

    [Fact]
    public async Task MergeAsync_FileOutgrowsItsBlockSize_RewritesTheBlobWithLargerBlocksOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        // At most 16 blocks of at least 4 KiB: 64 KiB of file in 4 KiB blocks, then 8 KiB, 16 KiB...
        file.BlockSizes = new BlockSizePolicy(4096, 16);
        var blob = container.Client.GetBlockBlobClient(BlobName);
        await file.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BTC-USDT", StartMs, 60, "small", token), ct);
        var small = await BlockSizeOfAsync(blob, ct);

        var grown = await file.MergeWithTransferAsync((path, token) => CandleRows.InsertAsync(path, "ETH-USDT", StartMs, 1440, "grown", token), ct);
        var large = await BlockSizeOfAsync(blob, ct);
        var next = await file.MergeWithTransferAsync((path, token) => CandleRows.InsertAsync(path, "ETH-USDT", StartMs + (1440 * MinuteMs), 10, "next", token), ct);

        Assert.Equal(4096, small);
        Assert.True(large > 8192, $"block size {large}");
        Assert.Equal(0, grown.Transfer.BlocksReused);
        Assert.Equal(grown.Transfer.FileBytes, grown.Transfer.BytesUploaded);
        Assert.True(next.Transfer.BlocksReused > 0);
        Assert.Equal(large, await BlockSizeOfAsync(blob, ct));
        var read = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
        Assert.Equal(("ok", 60 + 1450), (read.Integrity, read.Keys.Count));
    }

    [Fact]
    public async Task MergeAsync_CachedCopyWithoutItsBlockList_AsksTheBlobAndStagesOnlyTheChange()
    {
        var ct = TestContext.Current.CancellationToken;
        var symbols = Symbols(4);
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using (var first = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct))
        {
            await first.MergeAsync((path, token) => InsertAsync(path, symbols, StartMs, 2 * 1440, token), ct);
        }

        // A cache left by the build before the map: the copy and its ETag, no block list.
        var blocksFile = Directory.EnumerateFiles(cache.Path, "*.blocks", SearchOption.AllDirectories).Single();
        File.Delete(blocksFile);
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);

        var merged = await file.MergeWithTransferAsync((path, token) => TickAsync(path, symbols, StartMs + (2 * 1440 * MinuteMs), Tick, token), ct);

        Assert.Equal(0, merged.Transfer.BytesDownloaded);
        Assert.True(merged.Transfer.BlocksReused > merged.Transfer.BlocksStaged, merged.Transfer.ToString());
        Assert.True(File.Exists(blocksFile));
    }

    [Fact]
    public async Task MergeAsync_DownloadedBlockDoesNotMatchItsId_ThrowsKeepsTheCachedCopyAndUploadsNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var symbols = Symbols(2);
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var writerCache = TempDirectory.Create();
        using var readerCache = TempDirectory.Create();
        var (proxy, proxied) = await StorageProxy.StartAsync(await azurite.GetConnectionStringAsync(ct), ct);
        await using var proxyScope = proxy;
        await using var writer = await SyncTestFiles.CreateAsync(azurite, container.Name, writerCache.Path, ct);
        await using var reader = SyncTestFiles.Create(proxied, container.Name, readerCache.Path);
        await writer.MergeAsync((path, token) => InsertAsync(path, symbols, StartMs, MinutesPerWeek, token), ct);
        var cached = await reader.GetSnapshotPathAsync(ct);
        var cachedBytes = await File.ReadAllBytesAsync(cached, ct);
        var cachedETag = await File.ReadAllTextAsync(cached + ".etag", ct);
        await writer.MergeAsync((path, token) => TickAsync(path, symbols, StartMs + (MinutesPerWeek * MinuteMs), Tick, token), ct);
        var blob = container.Client.GetBlockBlobClient(BlobName);
        var written = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ETag;
        proxy.CorruptRangedReads = true;
        var applied = false;

        var error = await Assert.ThrowsAsync<CorruptDatabaseBlobException>(() => reader.MergeAsync(
            (path, token) =>
            {
                applied = true;
                return TickAsync(path, ["XRP-USDT"], StartMs, Tick, token);
            },
            ct));

        Assert.Contains("does not match its ID", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{container.Name}/{BlobName}'", error.Message, StringComparison.Ordinal);
        Assert.False(applied);
        Assert.Equal(cachedBytes, await File.ReadAllBytesAsync(cached, ct));
        Assert.Equal(cachedETag, await File.ReadAllTextAsync(cached + ".etag", ct));
        var properties = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value;
        Assert.Equal((written, LeaseState.Available), (properties.ETag, properties.LeaseState));
        Assert.Equal(0, proxy.Traffic.GetValueOrDefault("Put Block").Requests);
        Assert.Empty(Directory.EnumerateFiles(readerCache.Path, "*.download-*", SearchOption.AllDirectories));
    }

    private static async Task<int?> BlockSizeOfAsync(BlockBlobClient blob, CancellationToken ct) =>
        BlockMap.FromBlockList((await blob.GetBlockListAsync(BlockListTypes.Committed, cancellationToken: ct)).Value).BlockSize;

    private static async Task<(string Integrity, long Candles)> CheckAndCountAsync(string path, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(ct);
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        var integrity = (string)(await check.ExecuteScalarAsync(ct))!;
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM candles;";
        return (integrity, (long)(await count.ExecuteScalarAsync(ct))!);
    }
}
