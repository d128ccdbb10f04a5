using System.Diagnostics;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Blofin.Backfill.SyncWorker;
using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Sync;

/// <summary>Several worker processes (tests/SyncWorker, each with its own cache folder, like separate function
/// instances) merging into one blob at once, against real Azurite, with a 15 s lease.</summary>
public sealed class LeasedDatabaseFileProcessTests(AzuriteFixture azurite)
{
    private const long FromMs = 1_700_000_040_000;
    private const string BlobName = "candles.sqlite";
    private static readonly TimeSpan WorkerTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task MergeAsync_EightWorkerProcessesAtOnce_KeepEveryAcceptedRowOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await azurite.GetConnectionStringAsync(ct);
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var caches = TempDirectory.Create();
        var workers = new List<SyncWorkerProcess>();
        try
        {
            // Worker i merges symbols i and i+1 from minute 120 i: each symbol is written by two workers whose
            // minutes overlap by 600, and the blob does not exist yet, so all eight race to create it too.
            for (var i = 0; i < 8; i++)
            {
                workers.Add(SyncWorkerProcess.Start(
                    $"worker-{i}", connectionString, container.Name, caches.Combine($"w{i}"),
                    [$"W{i}-USDT", $"W{(i + 1) % 8}-USDT"], FromMs + (i * 120 * 60_000L), 720, concurrent: i % 2 == 0));
            }

            foreach (var worker in workers)
            {
                Assert.True(await worker.WaitForExitAsync(WorkerTimeout, ct) == 0, worker.Diagnostics);
            }

            Assert.All(workers, w => Assert.Equal(2, w.MergedCount));
            var accepted = workers.SelectMany(w => w.MergedKeys()).Distinct().Order().ToList();
            var blob = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
            Assert.Equal(accepted, blob.Keys);
            Assert.Equal("ok", blob.Integrity);
            Assert.Equal(16, blob.Runs);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task MergeAsync_WorkerKilledHoldingTheLease_OthersFinishAfterItExpiresAndItsRerunCompletes()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await azurite.GetConnectionStringAsync(ct);
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var caches = TempDirectory.Create();
        var deadCache = caches.Combine("dead");
        var workers = new List<SyncWorkerProcess>();
        try
        {
            var dead = SyncWorkerProcess.Start("dead", connectionString, container.Name, deadCache, ["DEAD-USDT"], FromMs, 600, pause: true);
            workers.Add(dead);
            await dead.Leased.WaitAsync(WorkerTimeout, ct);
            var others = Enumerable.Range(0, 3)
                .Select(i => SyncWorkerProcess.Start(
                    $"other-{i}", connectionString, container.Name, caches.Combine($"o{i}"), [$"O{i}-USDT"], FromMs, 600))
                .ToList();
            workers.AddRange(others);

            dead.Kill();
            var killedAt = Stopwatch.StartNew();
            foreach (var worker in others)
            {
                Assert.True(await worker.WaitForExitAsync(WorkerTimeout, ct) == 0, worker.Diagnostics);
            }

            TestContext.Current.TestOutputHelper?.WriteLine($"The others finished {killedAt.Elapsed.TotalSeconds:0.0} s after the kill.");
            Assert.All(others, w => Assert.True(w.Totals().LeaseWaits > 0, w.Diagnostics));
            var afterKill = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
            Assert.DoesNotContain(afterKill.Keys, key => key.InstId == "DEAD-USDT");
            Assert.Equal(others.SelectMany(w => w.MergedKeys()).Order(), afterKill.Keys);

            var rerun = SyncWorkerProcess.Start("rerun", connectionString, container.Name, deadCache, ["DEAD-USDT"], FromMs, 600);
            workers.Add(rerun);
            Assert.True(await rerun.WaitForExitAsync(WorkerTimeout, ct) == 0, rerun.Diagnostics);

            var final = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
            Assert.Equal(others.Append(rerun).SelectMany(w => w.MergedKeys()).Order(), final.Keys);
            Assert.Equal("ok", final.Integrity);
            Assert.Empty(Directory.EnumerateFiles(deadCache, "*.work-*", SearchOption.AllDirectories));
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task MergeAsync_WorkerKilledAfterStagingBeforeTheCommit_LeavesTheBlobAsItWasAndTheNextMergeLosesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await azurite.GetConnectionStringAsync(ct);
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var caches = TempDirectory.Create();
        await using (var first = await SyncTestFiles.CreateAsync(azurite, container.Name, caches.Combine("first"), ct))
        {
            await first.MergeAsync((path, token) => CandleRows.InsertAsync(path, "BASE-USDT", FromMs, 3000, "base", token), ct);
        }

        var blob = container.Client.GetBlockBlobClient(BlobName);
        var before = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ETag;
        var baseKeys = SyncTestFiles.Keys("BASE-USDT", FromMs, 3000).ToList();
        var (proxy, proxied) = await StorageProxy.StartAsync(connectionString, ct);
        await using var proxyScope = proxy;
        proxy.HoldMergeCommits = true;
        var deadCache = caches.Combine("dead");
        var workers = new List<SyncWorkerProcess>();
        try
        {
            // The worker goes through the proxy, which holds its commit: it has staged its blocks and waits.
            var dead = SyncWorkerProcess.Start("dead", proxied, container.Name, deadCache, ["DEAD-USDT"], FromMs, 600);
            workers.Add(dead);
            await proxy.CommitHeld.WaitAsync(WorkerTimeout, ct);
            var staged = (await blob.GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: ct)).Value.UncommittedBlocks.Count();
            dead.Kill();
            await dead.WaitForExitAsync(WorkerTimeout, ct);

            Assert.True(staged > 0, dead.Diagnostics);
            Assert.Equal(before, (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ETag);
            var afterKill = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
            Assert.Equal("ok", afterKill.Integrity);
            Assert.Equal(baseKeys, afterKill.Keys);

            // Its rerun (same cache folder, straight to storage) waits out the dead worker's lease and merges.
            var rerun = SyncWorkerProcess.Start("rerun", connectionString, container.Name, deadCache, ["DEAD-USDT"], FromMs, 600);
            workers.Add(rerun);
            Assert.True(await rerun.WaitForExitAsync(WorkerTimeout, ct) == 0, rerun.Diagnostics);

            var final = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
            Assert.Equal("ok", final.Integrity);
            Assert.Equal(baseKeys.Concat(rerun.MergedKeys()).Order(), final.Keys);
            Assert.True(rerun.Totals().LeaseWaits > 0, rerun.Diagnostics);
            // The commit threw away what the dead worker had staged.
            Assert.Empty((await blob.GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: ct)).Value.UncommittedBlocks);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task MergeAsync_FourWorkersThirtyTwoSymbolsOfAWeekThenATick_MergesEveryRowAndReportsTheTransfer()
    {
        // Round 1: 32 symbols x 10,081 minutes (a week and a minute), 8 symbols per worker, all finishing together.
        // Round 2, a tick: the same workers (new processes, warm caches) add the next 30 minutes of each symbol.
        const int Symbols = 32;
        const int Week = 10_081;
        const int Tick = 30;
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await azurite.GetConnectionStringAsync(ct);
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var caches = TempDirectory.Create();
        var output = TestContext.Current.TestOutputHelper;

        async Task<IReadOnlyList<DatabaseSyncTotals>> RunRoundAsync(string round, long fromMs, int minutes)
        {
            var workers = new List<SyncWorkerProcess>();
            try
            {
                var wall = Stopwatch.StartNew();
                for (var i = 0; i < 4; i++)
                {
                    workers.Add(SyncWorkerProcess.Start(
                        $"worker-{i}", connectionString, container.Name, caches.Combine($"w{i}"),
                        Enumerable.Range(i * (Symbols / 4), Symbols / 4).Select(s => $"S{s:00}-USDT"), fromMs, minutes, concurrent: true));
                }

                foreach (var worker in workers)
                {
                    Assert.True(await worker.WaitForExitAsync(WorkerTimeout, ct) == 0, worker.Diagnostics);
                }

                wall.Stop();
                var totals = workers.Select(w => w.Totals()).ToList();
                var size = (await container.Client.GetBlobClient(BlobName).GetPropertiesAsync(cancellationToken: ct)).Value.ContentLength;
                output?.WriteLine($"{round}: wall {wall.Elapsed.TotalSeconds:0.00} s (4 processes, start-up included), blob after {size:N0} bytes");
                output?.WriteLine($"  merges {totals.Sum(t => t.Merges)}, cycles {totals.Sum(t => t.Cycles)}, attempts {totals.Sum(t => t.Attempts)}, lease waits {totals.Sum(t => t.LeaseWaits)}");
                output?.WriteLine($"  downloaded {totals.Sum(t => t.BytesDownloaded):N0} bytes, uploaded {totals.Sum(t => t.BytesUploaded):N0} bytes");
                for (var i = 0; i < totals.Count; i++)
                {
                    output?.WriteLine($"  worker {i}: {totals[i]}");
                }

                return totals;
            }
            finally
            {
                foreach (var worker in workers)
                {
                    await worker.DisposeAsync();
                }
            }
        }

        var week = await RunRoundAsync("week", FromMs, Week);
        var tick = await RunRoundAsync("tick", FromMs + (Week * 60_000L), Tick);

        var blob = await SyncTestFiles.ReadBlobAsync(container.Client, BlobName, ct);
        Assert.Equal(Symbols * (Week + Tick), blob.Keys.Count);
        Assert.Equal("ok", blob.Integrity);
        Assert.Equal(Symbols, week.Sum(t => t.Merges));
        Assert.Equal(Symbols, tick.Sum(t => t.Merges));
        Assert.True(week.Sum(t => t.Cycles) < Symbols, "concurrent merges of one worker share lease cycles");
    }
}
