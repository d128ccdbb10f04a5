using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues.Models;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Blofin.Backfill.Testing;
using Blofin.Simulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Blofin.Backfill.Backfill;

/// <summary>The drain against real Azurite and the simulator, on the real clock (a message's visibility is Storage's
/// time). A handler is held in its merge by a blob lease the test takes, as a slow merge or a busy blob would.</summary>
public sealed class BackfillQueueDrainerTests(AzuriteFixture azurite)
{
    private const string BlobName = "candles.sqlite";
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task DrainAsync_HandlerOutlastsTheVisibility_KeepsTheMessageHiddenAndDeletesItOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await DrainHarness.StartAsync(azurite, ct);
        await harness.SendAsync("BTC-USDT", ct);
        var lease = await harness.HoldDatabaseLeaseAsync(ct);

        var drain = harness.Drainer.DrainAsync(new QueueDrainOptions { Lease = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(100) }, null, ct);
        await harness.WaitForCandleRequestsAsync(symbols: 1, ct);
        var visibleWhileHandled = 0;
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(3.5); waited += TimeSpan.FromMilliseconds(250))
        {
            PeekedMessage[] visible = await harness.Queue.Queue.PeekMessagesAsync(32, ct);
            visibleWhileHandled += visible.Length;
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }

        await lease.ReleaseAsync(cancellationToken: ct);
        var summary = await drain.WaitAsync(DrainTimeout, ct);

        Assert.Equal(0, visibleWhileHandled);
        Assert.Equal(1, summary.Processed);
        Assert.Equal(0, summary.Retried);
        Assert.Equal(0, await harness.Queue.GetApproximateCountAsync(ct));
        var runs = await harness.RunsAsync("BTC-USDT", ct);
        Assert.Equal([GapFillRunStatus.Succeeded], runs.Select(r => r.Status));
    }

    [Fact]
    public async Task DrainAsync_MessageDeletedWhileHandled_FinishesTheDrainInsteadOfThrowing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await DrainHarness.StartAsync(azurite, ct);
        await harness.SendAsync("ETH-USDT", ct);
        var lease = await harness.HoldDatabaseLeaseAsync(ct);

        var drain = harness.Drainer.DrainAsync(new QueueDrainOptions { Lease = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(100) }, null, ct);
        await harness.WaitForCandleRequestsAsync(symbols: 1, ct);
        await harness.Queue.Queue.ClearMessagesAsync(ct);
        await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
        await lease.ReleaseAsync(cancellationToken: ct);
        var summary = await drain.WaitAsync(DrainTimeout, ct);

        Assert.Equal(1, summary.Processed);
        Assert.Equal(0, summary.Retried);
        Assert.Equal([GapFillRunStatus.Succeeded], (await harness.RunsAsync("ETH-USDT", ct)).Select(r => r.Status));
    }

    [Fact]
    public async Task DrainAsync_BatchLargerThanTheCores_HandlesTheWholeBatchAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await DrainHarness.StartAsync(azurite, ct);
        var batch = Math.Min(Environment.ProcessorCount + 2, QueueDrainOptions.MaximumBatchSize);
        var symbols = harness.Simulator.Market.Instruments.Where(i => i.State == "live").Take(batch).Select(i => i.InstId).ToList();
        foreach (var symbol in symbols)
        {
            await harness.SendAsync(symbol, ct);
        }

        var lease = await harness.HoldDatabaseLeaseAsync(ct);

        var drain = harness.Drainer.DrainAsync(new QueueDrainOptions { BatchSize = batch, PollInterval = TimeSpan.FromMilliseconds(100) }, null, ct);
        var reached = await harness.WaitForCandleRequestsAsync(symbols.Count, ct);
        await lease.ReleaseAsync(cancellationToken: ct);
        var summary = await drain.WaitAsync(DrainTimeout, ct);

        Assert.Equal(symbols.Count, reached);
        Assert.Equal(symbols.Count, summary.Processed);
    }

    [Fact]
    public async Task DrainAsync_MessageDequeuedMoreThanTheLimit_PoisonsItWithoutRunningIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await DrainHarness.StartAsync(azurite, ct);
        await harness.SendAsync("SOL-USDT", ct);

        // Five tries that never finished, as five workers killed in turn would leave it.
        for (var i = 0; i < 5; i++)
        {
            QueueMessage taken = (await harness.Queue.Queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30), ct)).Value.Single();
            await harness.Queue.Queue.UpdateMessageAsync(taken.MessageId, taken.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: ct);
        }

        var summary = await harness.Drainer.DrainAsync(new QueueDrainOptions { MaxDequeueCount = 5 }, null, ct).WaitAsync(DrainTimeout, ct);
        PeekedMessage[] poisoned = await harness.Queue.PoisonQueue.PeekMessagesAsync(32, ct);

        Assert.Equal(1, summary.Poisoned);
        Assert.Equal(0, harness.Simulator.CountCandleRequests());
        var entry = Assert.Single(poisoned);
        Assert.Contains("Dequeued 6 times", entry.MessageText, StringComparison.Ordinal);
        Assert.Contains("SOL-USDT", entry.MessageText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 8)]
    [InlineData(33, 8)]
    [InlineData(8, 0)]
    public async Task DrainAsync_OptionsStorageCannotHonour_ThrowsBeforeReceiving(int batchSize, int leaseSeconds)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await DrainHarness.StartAsync(azurite, ct);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.Drainer.DrainAsync(
            new QueueDrainOptions { BatchSize = batchSize, Lease = TimeSpan.FromSeconds(leaseSeconds) }, null, ct));
    }

    /// <summary>Simulator, Azurite queue and container (random names), the real registration on the real clock.</summary>
    private sealed class DrainHarness : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly TempDirectory _cache;
        private readonly TestBlobContainer _container;

        private DrainHarness(BlofinSimulator simulator, ServiceProvider services, TempDirectory cache, TestBlobContainer container)
        {
            Simulator = simulator;
            _services = services;
            _cache = cache;
            _container = container;
        }

        public BlofinSimulator Simulator { get; }

        public BackfillQueue Queue => _services.GetRequiredService<BackfillQueue>();

        public BackfillQueueDrainer Drainer => _services.GetRequiredService<BackfillQueueDrainer>();

        public static async Task<DrainHarness> StartAsync(AzuriteFixture azurite, CancellationToken cancellationToken)
        {
            var simulator = await BlofinSimulator.StartAsync(SimulatorOptions.CreateDefault(), cancellationToken: cancellationToken);
            var container = await azurite.ReserveContainerAsync(cancellationToken);
            var cache = TempDirectory.Create();
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["AzureWebJobsStorage"] = await azurite.GetConnectionStringAsync(cancellationToken),
                    ["Blofin:BaseUrl"] = simulator.BaseUrl.ToString(),
                    ["BackfillQueueName"] = AzuriteFixture.RandomName("drain"),
                    ["Backfill:Container"] = container.Name,
                    ["Backfill:DatabaseBlob"] = BlobName,
                    ["Backfill:CacheDirectory"] = cache.Path,
                    ["Backfill:LookbackHours"] = "2",
                    ["Backfill:LeaseRetryDelay"] = "00:00:00.050",
                    ["Backfill:LeaseRetryMaxDelay"] = "00:00:00.200",
                })
                .Build();
            var services = new ServiceCollection().AddLogging().AddBlofinBackfill(configuration).BuildServiceProvider();
            return new DrainHarness(simulator, services, cache, container);
        }

        public Task SendAsync(string instId, CancellationToken cancellationToken) =>
            Queue.SendAsync(new BackfillRequest(instId, Bar.OneMinute, 2, Trigger: BackfillTriggers.Manual), TimeSpan.Zero, null, cancellationToken);

        /// <summary>Creates the database blob and takes its lease, so every merge waits until the test lets go.</summary>
        public async Task<BlobLeaseClient> HoldDatabaseLeaseAsync(CancellationToken cancellationToken)
        {
            await _services.GetRequiredService<ICandleStore>().WriteAsync((_, _) => Task.FromResult(0), cancellationToken);
            var lease = _container.Client.GetBlobClient(BlobName).GetBlobLeaseClient();
            await lease.AcquireAsync(TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
            return lease;
        }

        /// <summary>Waits until candle requests for <paramref name="symbols"/> symbols arrived (their handlers fetched
        /// and went on to the merge), or 15 s passed; returns how many symbols were seen.</summary>
        public async Task<int> WaitForCandleRequestsAsync(int symbols, CancellationToken cancellationToken)
        {
            var seen = 0;
            for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(15); waited += TimeSpan.FromMilliseconds(50))
            {
                seen = Simulator.Requests.Where(r => r.IsCandles).Select(r => r.InstId).Distinct().Count();
                if (seen >= symbols)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }

            return seen;
        }

        public Task<IReadOnlyList<GapFillRun>> RunsAsync(string instId, CancellationToken cancellationToken) =>
            _services.GetRequiredService<ICandleStore>().ReadAsync((database, ct) => database.GetRunsAsync(instId, Bar.OneMinute, null, 100, ct), cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await Queue.Queue.DeleteIfExistsAsync();
            await Queue.PoisonQueue.DeleteIfExistsAsync();
            await _services.DisposeAsync();
            await Simulator.DisposeAsync();
            await _container.DisposeAsync();
            await _cache.DisposeAsync();
        }
    }
}
