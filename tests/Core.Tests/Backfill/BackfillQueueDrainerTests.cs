using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Testing;
using Blofin.Simulator;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Blofin.Backfill.Backfill;

public sealed class BackfillQueueDrainerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task DrainAsync_FullBatch_SendsEveryMessagesPagesAtOnce()
    {
        // Regression: the batch went through Parallel.ForEachAsync with its default degree (the core count), so a
        // 2-core worker handled 2 of its 8 messages at a time and every batch took four rounds.
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(BackfillHarness.Start);
        var options = SimulatorOptions.CreateDefault();
        options.SlowResponseDelay = TimeSpan.FromSeconds(5);
        await using var simulator = await BlofinSimulator.StartAsync(options, clock, cancellationToken: ct);
        var symbols = options.Instruments.Where(i => i.State == "live" && i.ListedAgo is null).Take(8).Select(i => i.InstId).ToList();
        var name = AzuriteFixture.RandomName("drain");
        var connectionString = await azurite.GetConnectionStringAsync(ct);
        using var cache = TempDirectory.Create();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["BackfillQueueName"] = name,
            ["Blofin:BaseUrl"] = simulator.BaseUrl.ToString(),
            ["Backfill:Symbols"] = string.Join(',', symbols),
            ["Backfill:LookbackHours"] = "1", // one page per symbol
            ["Backfill:EnqueueSpread"] = "00:00:00",
            ["Backfill:Container"] = name,
            ["Backfill:CacheDirectory"] = cache.Path,
        }).Build();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddLogging().AddBlofinBackfill(configuration).BuildServiceProvider();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task<QueueDrainSummary>? drain = null;
        try
        {
            await services.GetRequiredService<InstrumentCatalog>().GetAllAsync(ct);
            await services.GetRequiredService<BackfillScheduler>().EnqueueAsync(BackfillTriggers.Timer, isPastDue: false, ct);
            // Every page waits for the exchange's clock, so none is answered before the test moves it.
            simulator.EnqueueFault(SimulatedFault.SlowResponse, symbols.Count);
            var gate = services.GetRequiredService<BlofinRateGate>();

            drain = services.GetRequiredService<BackfillQueueDrainer>().DrainAsync(
                new QueueDrainOptions { BatchSize = symbols.Count, PollInterval = TimeSpan.FromMilliseconds(50) }, progress: null, stop.Token);
            var allSent = 1 + symbols.Count; // the instrument list, then one page per message
            // Generous for a loaded machine; with the regression the count stops at 1 + the core count for good.
            for (var waited = 0; gate.GrantedCount < allSent && waited < 1200 && !drain.IsCompleted; waited++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }

            Assert.Equal(allSent, gate.GrantedCount);
            clock.Advance(options.SlowResponseDelay);
            for (var waited = 0; simulator.CountCandleRequests() < symbols.Count && waited < 1200; waited++)
            {
                // Answered on the exchange's clock; the client's attempt timeout runs on it too, so it stays put meanwhile.
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }

            for (var waited = 0; !drain.IsCompleted && waited < 1200; waited++)
            {
                // Polls of the emptied queue wait on the fake clock too.
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
                clock.Advance(TimeSpan.FromMilliseconds(100));
            }

            var summary = await drain.WaitAsync(TimeSpan.FromSeconds(5), ct);
            Assert.Equal((symbols.Count, 0, 0), (summary.Processed, summary.Poisoned, summary.Retried));
            Assert.Equal(symbols.Count, simulator.CountCandleRequests());
        }
        finally
        {
            // On failure, release whatever still waits on the fake clock before tearing down.
            await stop.CancelAsync();
            clock.Advance(TimeSpan.FromMinutes(1));
            if (drain is not null)
            {
                await Task.WhenAny(drain, Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None));
            }

            await services.DisposeAsync();
            SqliteConnection.ClearAllPools();
            await new BlobContainerClient(connectionString, name).DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            await new QueueClient(connectionString, name).DeleteIfExistsAsync(CancellationToken.None);
            await new QueueClient(connectionString, name + BackfillQueue.PoisonSuffix).DeleteIfExistsAsync(CancellationToken.None);
        }
    }
}
