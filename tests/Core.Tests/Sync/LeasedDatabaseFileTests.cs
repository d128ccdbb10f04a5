using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Blofin.Backfill.SyncWorker;
using Blofin.Backfill.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Blofin.Backfill.Sync;

public sealed class LeasedDatabaseFileTests(AzuriteFixture azurite)
{
    private const long FromMs = 1_700_000_040_000;
    private const string BlobName = "candles.sqlite";

    [Fact]
    public async Task MergeAsync_ContainerAndBlobAbsent_CreatesThemAndUploadsTheRows()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);

        var inserted = await file.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 60, "run-1", token), ct);

        Assert.Equal(60, inserted);
        var blob = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
        Assert.Equal(SyncTestFiles.Keys("BTC-USDT", FromMs, 60), blob.Keys);
        Assert.Equal("ok", blob.Integrity);
        var properties = (await container.Client.GetBlobClient(BlobName).GetPropertiesAsync(cancellationToken: ct)).Value;
        Assert.Equal(LeaseState.Available, properties.LeaseState);
    }

    [Fact]
    public async Task MergeAsync_ApplyLeavesWalMode_UploadsOneSelfContainedFile()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);

        await file.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 500, "run-1", token), ct);

        var blob = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
        Assert.Equal(500, blob.Keys.Count);
        // File format bytes 18 and 19 are 1 in rollback-journal mode, 2 in WAL mode.
        Assert.Equal((1, 1), (blob.WriteVersion, blob.ReadVersion));
        Assert.False(blob.HadWal);
        var leftovers = Directory.EnumerateFiles(cache.Path, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Where(name => name!.Contains(".work-", StringComparison.Ordinal) || name.EndsWith("-wal", StringComparison.Ordinal));
        Assert.Empty(leftovers);
    }

    [Fact]
    public async Task GetSnapshotPathAsync_ColdCache_DownloadsOnceAndReturnsTheCopy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var writerCache = TempDirectory.Create();
        using var readerCache = TempDirectory.Create();
        await using (var writer = await SyncTestFiles.CreateAsync(azurite, container.Name, writerCache.Path, ct))
        {
            await writer.MergeAsync((path, token) => CandleRows.InsertAsync(path, "ETH-USDT", FromMs, 120, "run-1", token), ct);
        }

        var blobSize = (await container.Client.GetBlobClient(BlobName).GetPropertiesAsync(cancellationToken: ct)).Value.ContentLength;
        await using var reader = await SyncTestFiles.CreateAsync(azurite, container.Name, readerCache.Path, ct);

        var first = await reader.GetSnapshotPathAsync(ct);
        var second = await reader.GetSnapshotPathAsync(ct);

        Assert.Equal(first, second);
        Assert.Equal(blobSize, reader.Totals.BytesDownloaded);
        Assert.Equal(120L, await CountCandlesAsync(first, ct));
    }

    [Fact]
    public async Task GetSnapshotPathAsync_BlobAbsent_CreatesAnEmptyDatabase()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);

        var path = await file.GetSnapshotPathAsync(ct);

        Assert.True(await container.Client.GetBlobClient(BlobName).ExistsAsync(ct));
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(ct);
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", await check.ExecuteScalarAsync(ct));
    }

    [Fact]
    public async Task MergeAsync_WarmCacheMatchingTheBlob_DownloadsNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using (var first = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct))
        {
            await first.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 300, "run-1", token), ct);
        }

        // A new instance over the same cache folder: a worker that restarted with its cache intact.
        await using var warm = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        await warm.MergeAsync((path, token) => CandleRows.InsertAsync(path, "ETH-USDT", FromMs, 300, "run-2", token), ct);
        await warm.MergeAsync((path, token) => CandleRows.InsertAsync(path, "SOL-USDT", FromMs, 300, "run-3", token), ct);

        Assert.Equal(0, warm.Totals.BytesDownloaded);
        Assert.Equal(2, warm.Totals.Cycles);
        Assert.Equal(900, (await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct)).Keys.Count);
    }

    [Fact]
    public async Task MergeAsync_BlobChangedByAnotherWorker_DownloadsTheNewVersionAndKeepsItsRows()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cacheA = TempDirectory.Create();
        using var cacheB = TempDirectory.Create();
        await using var a = await SyncTestFiles.CreateAsync(azurite, container.Name, cacheA.Path, ct);
        await using var b = await SyncTestFiles.CreateAsync(azurite, container.Name, cacheB.Path, ct);

        await a.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 200, "a-1", token), ct);
        await b.MergeAsync((path, token) => CandleRows.InsertAsync(path, "ETH-USDT", FromMs, 200, "b-1", token), ct);
        await a.MergeAsync((path, token) => CandleRows.InsertAsync(path, "SOL-USDT", FromMs, 200, "a-2", token), ct);

        Assert.True(a.LastCycle!.BytesDownloaded > 0);
        var blob = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
        Assert.Equal(600, blob.Keys.Count);
        Assert.Equal(3, blob.Runs);
    }

    [Fact]
    public async Task MergeAsync_LeaseBrokenWhileApplying_RetriesUnderANewLeaseAndLosesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        await file.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 100, "first", token), ct);
        var blobClient = container.Client.GetBlobClient(BlobName);
        var applying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var broken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;

        var merge = file.MergeAsync(async (path, token) =>
        {
            var inserted = await CandleRows.InsertAsync(path, "ETH-USDT", FromMs, 100, "second", token);
            if (Interlocked.Increment(ref calls) == 1)
            {
                applying.SetResult();
                await broken.Task;
            }

            return inserted;
        }, ct);
        await applying.Task.WaitAsync(ct);
        await blobClient.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: ct);
        broken.SetResult();
        var result = await merge;

        Assert.Equal(100, result);
        Assert.Equal(2, calls);
        Assert.Equal(2, file.LastCycle!.Attempts);
        var blob = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
        Assert.Equal(SyncTestFiles.Keys("BTC-USDT", FromMs, 100).Concat(SyncTestFiles.Keys("ETH-USDT", FromMs, 100)), blob.Keys);
        Assert.Equal("ok", blob.Integrity);
    }

    [Fact]
    public async Task MergeAsync_LeaseBrokenAndBlobRewrittenByAnother_RetriesOnTheNewVersionAndKeepsBoth()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        using var otherCache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        await using var other = await SyncTestFiles.CreateAsync(azurite, container.Name, otherCache.Path, ct);
        await file.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 100, "first", token), ct);
        var applying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var rewritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;

        var merge = file.MergeAsync(async (path, token) =>
        {
            var inserted = await CandleRows.InsertAsync(path, "ETH-USDT", FromMs, 100, "mine", token);
            if (Interlocked.Increment(ref calls) == 1)
            {
                applying.SetResult();
                await rewritten.Task;
            }

            return inserted;
        }, ct);
        await applying.Task.WaitAsync(ct);
        // Someone breaks the lease, takes it and uploads a version with rows of its own.
        await container.Client.GetBlobClient(BlobName).GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: ct);
        await other.MergeAsync((path, token) => CandleRows.InsertAsync(path, "SOL-USDT", FromMs, 100, "theirs", token), ct);
        rewritten.SetResult();
        await merge;

        Assert.Equal(2, calls);
        var cycle = file.LastCycle!;
        Assert.Equal(2, cycle.Attempts);
        Assert.True(cycle.BytesDownloaded > 0, "the retry must start from the other writer's version");
        var blob = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
        Assert.Equal(300, blob.Keys.Count);
        Assert.Equal(3, blob.Runs);
    }

    [Fact]
    public async Task MergeAsync_LeaseLostOnEveryAttempt_GivesUpAfterTheLimitWithNothingWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct,
            configure: options => options.MaxMergeAttempts = 3);
        await file.GetSnapshotPathAsync(ct);
        var etag = (await container.Client.GetBlobClient(BlobName).GetPropertiesAsync(cancellationToken: ct)).Value.ETag;
        var calls = 0;

        var error = await Assert.ThrowsAsync<DatabaseLeaseLostException>(() => file.MergeAsync(async (path, token) =>
        {
            Interlocked.Increment(ref calls);
            await container.Client.GetBlobClient(BlobName).GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: token);
            return await CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 10, "run", token);
        }, ct));

        Assert.Contains($"'{container.Name}/{BlobName}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, calls);
        Assert.Equal(etag, (await container.Client.GetBlobClient(BlobName).GetPropertiesAsync(cancellationToken: ct)).Value.ETag);
    }

    [Fact]
    public async Task MergeAsync_BlobIsRandomBytes_ThrowsNamingTheBlobAndLeavesItUnchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var cache = TempDirectory.Create();
        var blobClient = container.Client.GetBlobClient(BlobName);
        var garbage = new byte[8192];
        new Random(42).NextBytes(garbage);
        var etag = (await blobClient.UploadAsync(new BinaryData(garbage), ct)).Value.ETag;
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        var applied = false;

        var error = await Assert.ThrowsAsync<CorruptDatabaseBlobException>(() => file.MergeAsync(
            (path, token) => { applied = true; return Task.FromResult(0); }, ct));

        Assert.False(applied);
        Assert.Contains($"'{container.Name}/{BlobName}'", error.Message, StringComparison.Ordinal);
        var properties = (await blobClient.GetPropertiesAsync(cancellationToken: ct)).Value;
        Assert.Equal(etag, properties.ETag);
        Assert.Equal(LeaseState.Available, properties.LeaseState);
        Assert.Equal(garbage, (await blobClient.DownloadContentAsync(ct)).Value.Content.ToArray());
    }

    [Fact]
    public async Task MergeAsync_BlobHasSqliteHeaderOverGarbage_ThrowsNamingTheBlobAndLeavesItUnchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var cache = TempDirectory.Create();
        var blobClient = container.Client.GetBlobClient(BlobName);
        var content = new byte[4096 * 4];
        new Random(7).NextBytes(content);
        "SQLite format 3\0"u8.CopyTo(content);
        var etag = (await blobClient.UploadAsync(new BinaryData(content), ct)).Value.ETag;
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);

        var error = await Assert.ThrowsAsync<CorruptDatabaseBlobException>(() => file.MergeAsync(
            (path, token) => CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 10, "run", token), ct));

        Assert.Equal(container.Name, error.Container);
        Assert.Equal(BlobName, error.Blob);
        Assert.Equal(etag, (await blobClient.GetPropertiesAsync(cancellationToken: ct)).Value.ETag);
        Assert.Equal(content, (await blobClient.DownloadContentAsync(ct)).Value.Content.ToArray());
    }

    [Fact]
    public async Task GetSnapshotPathAsync_BlobIsRandomBytes_ThrowsNamingTheBlob()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await container.Client.GetBlobClient(BlobName).UploadAsync(BinaryData.FromString("not a database, not at all"), ct);
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);

        var error = await Assert.ThrowsAsync<CorruptDatabaseBlobException>(() => file.GetSnapshotPathAsync(ct));

        Assert.Contains($"'{container.Name}/{BlobName}'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(cache.Path, "devstoreaccount1", container.Name, BlobName)));
    }

    [Fact]
    public async Task MergeAsync_ThirtyTwoConcurrentCallers_ShareOneLeaseCycle()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        await file.MergeAsync((path, token) => CandleRows.InsertAsync(path, "SEED-USDT", FromMs, 1, "seed", token), ct);
        // Holding the lease while the callers arrive makes them all pending together.
        var lease = container.Client.GetBlobClient(BlobName).GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);

        var merges = Enumerable.Range(0, 32)
            .Select(i => file.MergeAsync((path, token) => CandleRows.InsertAsync(path, $"S{i:00}-USDT", FromMs, 50, $"run-{i}", token), ct))
            .ToArray();
        await Task.Delay(200, ct);
        await lease.ReleaseAsync(cancellationToken: ct);
        var inserted = await Task.WhenAll(merges);

        Assert.All(inserted, n => Assert.Equal(50, n));
        var totals = file.Totals;
        Assert.Equal(new DatabaseSyncTotals(2, 33, 0, 2, totals.LeaseWaits, totals.BytesDownloaded, totals.BytesUploaded, totals.BlocksStaged, totals.BlocksReused), totals);
        Assert.Equal(32, file.LastCycle!.Merges);
        Assert.Equal(1 + (32 * 50), (await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct)).Keys.Count);
    }

    [Fact]
    public async Task MergeAsync_OneApplyOfACycleThrows_FailsOnlyThatCallerAndDropsItsPartialWrites()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        await file.MergeAsync((path, token) => CandleRows.InsertAsync(path, "SEED-USDT", FromMs, 1, "seed", token), ct);
        var lease = container.Client.GetBlobClient(BlobName).GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);

        var before = file.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 50, "before", token), ct);
        var failing = file.MergeAsync<int>(async (path, token) =>
        {
            await CandleRows.InsertAsync(path, "BAD-USDT", FromMs, 50, "failing", token);
            throw new InvalidOperationException("the fetched rows did not validate");
        }, ct);
        var after = file.MergeAsync((path, token) => CandleRows.InsertAsync(path, "ETH-USDT", FromMs, 50, "after", token), ct);
        await lease.ReleaseAsync(cancellationToken: ct);

        Assert.Equal(50, await before);
        Assert.Equal(50, await after);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("the fetched rows did not validate", error.Message);
        Assert.Equal((2, 1, 1), (file.LastCycle!.Merges, file.LastCycle.Failed, file.LastCycle.Attempts));
        var blob = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
        Assert.DoesNotContain(blob.Keys, key => key.InstId == "BAD-USDT");
        Assert.Equal(101, blob.Keys.Count);
    }

    [Fact]
    public async Task MergeAsync_LeaseHeldByAnother_WaitsUntilItIsReleased()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        await file.GetSnapshotPathAsync(ct);
        var lease = container.Client.GetBlobClient(BlobName).GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);

        var merge = file.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 10, "run", token), ct);
        await Task.Delay(500, ct);
        Assert.False(merge.IsCompleted);
        await lease.ReleaseAsync(cancellationToken: ct);
        await merge;

        Assert.True(file.LastCycle!.LeaseWaits > 0);
        Assert.Equal(10, (await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct)).Keys.Count);
    }

    [Fact]
    public async Task MergeAsync_LeaseHeldPastTheDeadline_ThrowsLeaseTimeoutNamingTheBlob()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        var time = new FakeTimeProvider();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct, time,
            options => options.LeaseAcquireTimeout = TimeSpan.FromSeconds(20));
        await file.GetSnapshotPathAsync(ct);
        var lease = container.Client.GetBlobClient(BlobName).GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(60), cancellationToken: ct);
        var applied = false;

        try
        {
            var merge = file.MergeAsync((path, token) => { applied = true; return Task.FromResult(0); }, ct);
            for (var i = 0; i < 500 && !merge.IsCompleted; i++)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(20, ct);
            }

            var error = await Assert.ThrowsAsync<DatabaseLeaseTimeoutException>(() => merge);
            Assert.Contains($"'{container.Name}/{BlobName}'", error.Message, StringComparison.Ordinal);
            Assert.True(error.Waits > 1);
            Assert.False(applied);
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: ct);
        }
    }

    [Fact]
    public async Task MergeAsync_CallerCancelsWhileWaitingForTheLease_ThrowsOperationCanceled()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        await file.GetSnapshotPathAsync(ct);
        var lease = container.Client.GetBlobClient(BlobName).GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var applied = false;

        try
        {
            var merge = file.MergeAsync((path, token) => { applied = true; return Task.FromResult(0); }, cancel.Token);
            await Task.Delay(300, ct);
            await cancel.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => merge);
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: ct);
        }

        // The next merge runs normally, and the cancelled one never applied.
        await file.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BTC-USDT", FromMs, 5, "run", token), ct);
        Assert.False(applied);
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
