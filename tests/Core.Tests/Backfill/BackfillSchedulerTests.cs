using Blofin.Backfill.Testing;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Backfill;

/// <summary>The timer's coverage check after it enqueued (real queue in Azurite, real SQLite store).</summary>
public sealed class BackfillSchedulerTests(AzuriteFixture azurite)
{
    private const int BelowThresholdEvent = 23;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnqueueAsync_SymbolLeftBelowTheThreshold_LogsOneWarningNamingOnlyIt()
    {
        await using var harness = await StartAsync();
        await RunAsync(harness, "BTC-USDT");
        harness.Clock.Advance(TimeSpan.FromMinutes(60));
        await RunAsync(harness, "ETH-USDT");

        try
        {
            var enqueued = await harness.Get<BackfillScheduler>().EnqueueAsync(BackfillTriggers.Timer, isPastDue: false, Ct);

            Assert.Equal(["BTC-USDT", "ETH-USDT", "SOL-USDT"], enqueued);
            var warning = Assert.Single(harness.Logs.GetSnapshot(), log => log.Id.Id == BelowThresholdEvent);
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.StartsWith("Coverage below 99.9% of the minutes the exchange has: 1 symbols: BTC-USDT 99.75% (25 missing)", warning.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("ETH-USDT", warning.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("SOL-USDT", warning.Message, StringComparison.Ordinal);
        }
        finally
        {
            await DeleteQueuesAsync(harness);
        }
    }

    [Fact]
    public async Task EnqueueAsync_EverySymbolComplete_LogsNoWarning()
    {
        await using var harness = await StartAsync();
        await RunAsync(harness, "BTC-USDT");
        await RunAsync(harness, "ETH-USDT");
        await RunAsync(harness, "SOL-USDT");
        harness.Clock.Advance(TimeSpan.FromMinutes(30));

        try
        {
            await harness.Get<BackfillScheduler>().EnqueueAsync(BackfillTriggers.Timer, isPastDue: false, Ct);

            Assert.DoesNotContain(harness.Logs.GetSnapshot(), log => log.Id.Id == BelowThresholdEvent);
            Assert.Equal(3, (await harness.Get<BackfillQueue>().Queue.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount);
        }
        finally
        {
            await DeleteQueuesAsync(harness);
        }
    }

    private async Task<BackfillHarness> StartAsync() => await BackfillHarness.StartAsync(settings: new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = await azurite.GetConnectionStringAsync(Ct),
        ["BackfillQueueName"] = AzuriteFixture.RandomName("sched"),
        ["Backfill:Symbols"] = "BTC-USDT,ETH-USDT,SOL-USDT",
    });

    private static Task<BackfillResult> RunAsync(BackfillHarness harness, string instId) =>
        harness.Backfiller.RunAsync(BackfillHarness.Request(instId), harness.Store, null, Ct);

    private static async Task DeleteQueuesAsync(BackfillHarness harness)
    {
        var queue = harness.Get<BackfillQueue>();
        await queue.Queue.DeleteIfExistsAsync(CancellationToken.None);
        await queue.PoisonQueue.DeleteIfExistsAsync(CancellationToken.None);
    }
}
