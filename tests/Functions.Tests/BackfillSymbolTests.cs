using System.Text.Json;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Functions.Testing;
using Blofin.Backfill.Storage;
using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Functions;

/// <summary>The queue function activated from the app's own container, against the simulator and the blob
/// database in Azurite.</summary>
public sealed class BackfillSymbolTests(AzuriteFixture azurite)
{
    private const int WeekOfMinutes = 10_081;

    [Fact]
    public async Task RunAsync_JsonMessage_FillsTheWeekOfTheSymbolInTheBlobDatabase()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await InProcessFunctionsApp.StartAsync(azurite);

        await app.Activate<BackfillSymbol>().RunAsync("""{"instId":"BTC-USDT"}""", dequeueCount: 1, ct);

        Assert.Equal(8, app.Simulator.CountCandleRequests("BTC-USDT"));
        await using var copy = await app.DownloadDatabaseAsync();
        var coverage = await copy.Database.GetCoverageAsync("BTC-USDT", Bar.OneMinute, Week(), ct);
        Assert.Equal(WeekOfMinutes, coverage.PresentCount);
        Assert.Equal(100.0, coverage.PresentPercent);
        Assert.Equal((WeekOfMinutes, WeekOfMinutes), await copy.CountAsync("BTC-USDT", ct));
        var run = await copy.Database.GetLastRunAsync("BTC-USDT", Bar.OneMinute, ct);
        Assert.Equal(GapFillRunStatus.Succeeded, run?.Status);
        Assert.Equal(BackfillTriggers.Manual, run?.Trigger);
        Assert.Equal("ok", await copy.IntegrityCheckAsync(ct));
    }

    [Fact]
    public async Task RunAsync_SameSymbolTwice_SecondRunAsksNothingAndStoresNoRowTwice()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await InProcessFunctionsApp.StartAsync(azurite);
        var function = app.Activate<BackfillSymbol>();

        await function.RunAsync("""{"instId":"ETH-USDT","trigger":"timer"}""", dequeueCount: 1, ct);
        var requestsAfterFirst = app.Simulator.CountCandleRequests();
        await function.RunAsync("""{"instId":"ETH-USDT","trigger":"timer"}""", dequeueCount: 1, ct);

        Assert.Equal(8, requestsAfterFirst);
        Assert.Equal(requestsAfterFirst, app.Simulator.CountCandleRequests());
        await using var copy = await app.DownloadDatabaseAsync();
        Assert.Equal((WeekOfMinutes, WeekOfMinutes), await copy.CountAsync("ETH-USDT", ct));
        var runs = await copy.Database.GetRunsAsync("ETH-USDT", Bar.OneMinute, startedFromMs: null, limit: 10, ct);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(GapFillRunStatus.Succeeded, r.Status));
        Assert.Equal([(8, WeekOfMinutes), (0, 0)], runs.OrderBy(r => r.Id).Select(r => (r.Requests, r.Inserted)));
        Assert.Equal("ok", await copy.IntegrityCheckAsync(ct));
    }

    [Fact]
    public async Task RunAsync_DuplicateMessagesAtOnce_StoreEachCandleOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await InProcessFunctionsApp.StartAsync(azurite);

        // Two instances of the function, as two hosts would run a message delivered twice.
        await Task.WhenAll(
            app.Activate<BackfillSymbol>().RunAsync("SOL-USDT", dequeueCount: 1, ct),
            app.Activate<BackfillSymbol>().RunAsync("SOL-USDT", dequeueCount: 2, ct));

        await using var copy = await app.DownloadDatabaseAsync();
        Assert.Equal((WeekOfMinutes, WeekOfMinutes), await copy.CountAsync("SOL-USDT", ct));
        Assert.Equal("ok", await copy.IntegrityCheckAsync(ct));
        var requests = app.Simulator.CountCandleRequests();
        await app.Activate<BackfillSymbol>().RunAsync("SOL-USDT", dequeueCount: 1, ct);
        Assert.Equal(requests, app.Simulator.CountCandleRequests());
    }

    [Theory]
    [InlineData("{\"instId\":\"BTC-USDT\"", "not valid JSON")]
    [InlineData("hello world", "neither a JSON object")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"bar\":\"7m\"}", "7m")]
    [InlineData("{\"instId\":\"BTC_USDT\"}", "is not a Blofin instrument ID")]
    [InlineData("NOPE-USDT", "NOPE-USDT")]
    public async Task RunAsync_MessageThatCanNeverSucceed_GoesToThePoisonQueueWithItsReasonAndAsksForNoCandles(string message, string reasonContains)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await InProcessFunctionsApp.StartAsync(azurite);

        // Completes normally: the host neither retries the message nor counts a failure.
        await app.Activate<BackfillSymbol>().RunAsync(message, dequeueCount: 1, ct);

        var poisoned = Assert.Single((await app.PoisonQueue.PeekMessagesAsync(32, ct)).Value);
        using var body = JsonDocument.Parse(poisoned.MessageText);
        Assert.Equal(message, body.RootElement.GetProperty("message").GetString());
        Assert.Contains(reasonContains, body.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, app.Simulator.CountCandleRequests());
    }

    private static CoverageWindow Week() => CoverageWindow.ForRun(InProcessFunctionsApp.Start, Bar.OneMinute, 168);
}
