using System.Text;
using System.Text.Json;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.FunctionsHost;
using Blofin.Backfill.Functions.Testing;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Functions;

/// <summary>Issue 14: the real worker, configured by local.settings.example.json, invoked over the host protocol
/// as the host invokes it after reading a queue message or firing the timer.</summary>
public sealed class ExampleSettingsWorkerTests(ExampleSettingsWorker worker) : IClassFixture<ExampleSettingsWorker>
{
    /// <summary>A day back from the last closed minute, both ends counted.</summary>
    private const int DayOfMinutes = (ExampleSettingsWorker.LookbackHours * 60) + 1;

    [Theory]
    [InlineData("json", "BTC-USDT")]
    [InlineData("base64", "ETH-USDT")]
    [InlineData("bare", "SOL-USDT")]
    public async Task InvokeQueueAsync_ManualForm_FillsThatSymbolInTheBlobDatabase(string form, string instId)
    {
        var ct = TestContext.Current.CancellationToken;
        var json = $$"""{"instId":"{{instId}}"}""";
        var message = form switch
        {
            "json" => json,
            "base64" => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)),
            _ => instId,
        };

        var result = await worker.Host.InvokeQueueAsync("BackfillSymbol", message, dequeueCount: 1, ct);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(2, worker.Simulator.CountCandleRequests(instId));

        // The backfill's facts reach the host as RpcLog text (worker 2.52 fills propertiesMap only for metrics).
        var backfilled = Assert.Single(result.Logs, l => l.Message.StartsWith($"Backfilled {instId} 1m: Succeeded", StringComparison.Ordinal));
        Assert.Equal(WorkerLogCategory.User, backfilled.LogCategory);
        Assert.Contains($"{DayOfMinutes}/{DayOfMinutes} bars", backfilled.Message, StringComparison.Ordinal);
        Assert.Contains("2 requests", backfilled.Message, StringComparison.Ordinal);
        Assert.Contains($"{DayOfMinutes} rows inserted", backfilled.Message, StringComparison.Ordinal);

        await using var copy = await DatabaseBlobCopy.DownloadAsync(worker.Container, worker.Example["Backfill__DatabaseBlob"]!, ct);
        var run = await copy.Database.GetLastRunAsync(instId, Bar.OneMinute, ct);
        Assert.NotNull(run);
        Assert.Equal(GapFillRunStatus.Succeeded, run.Status);
        Assert.Equal(BackfillTriggers.Manual, run.Trigger);
        Assert.Equal((DayOfMinutes, DayOfMinutes), (run.ExpectedCount, run.PresentAfter));
        var window = new CoverageWindow(run.WindowStartMs, run.WindowEndMs, Bar.OneMinute);
        Assert.Equal(100.0, (await copy.Database.GetCoverageAsync(instId, Bar.OneMinute, window, ct)).PresentPercent);
        Assert.Equal((DayOfMinutes, DayOfMinutes), await copy.CountAsync(instId, ct));
    }

    [Theory]
    [InlineData("not a symbol!")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"bar\":\"7m\"}")]
    [InlineData("NOPE-USDT")]
    public async Task InvokeQueueAsync_MessageThatCanNeverSucceed_MovesItToThePoisonQueueAndLogsTheReason(string message)
    {
        var ct = TestContext.Current.CancellationToken;
        var candleRequests = worker.Simulator.CountCandleRequests();

        var result = await worker.Host.InvokeQueueAsync("BackfillSymbol", message, dequeueCount: 1, ct);

        // The poison rule completes the invocation (the host neither retries nor counts a failure), says why in
        // its warning, and no candle was asked for.
        Assert.True(result.Succeeded, result.Error?.ToString());
        var warning = Assert.Single(result.Logs, l => l.Message.StartsWith("Poisoned a backfill message that can never succeed: ", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Equal(candleRequests, worker.Simulator.CountCandleRequests());
        var poisoned = (await worker.PoisonQueue.PeekMessagesAsync(32, ct)).Value
            .Select(m => JsonDocument.Parse(m.MessageText).RootElement)
            .Single(body => body.GetProperty("message").GetString() == message);
        var reason = poisoned.GetProperty("reason").GetString();
        Assert.False(string.IsNullOrEmpty(reason));
        Assert.EndsWith(reason, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeTimerAsync_EnqueueBackfills_PutsOneMessagePerConfiguredSymbolWithTheTimeToLive()
    {
        var ct = TestContext.Current.CancellationToken;
        var symbols = SymbolSource.ParseList(worker.Example["Backfill__Symbols"]!);
        var timeToLive = TimeSpan.Parse(worker.Example["Backfill__MessageTimeToLive"]!, System.Globalization.CultureInfo.InvariantCulture);

        var result = await worker.Host.InvokeTimerAsync("EnqueueBackfills", isPastDue: false, ct);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Single(result.Logs, l => l.Message.StartsWith($"Enqueued {symbols.Count} backfill messages on {worker.Queue.Name}", StringComparison.Ordinal));
        var messages = (await worker.Queue.PeekMessagesAsync(32, ct)).Value;
        var bodies = messages.Select(m => JsonDocument.Parse(m.MessageText).RootElement).ToArray();
        Assert.Equal(symbols.Order(StringComparer.Ordinal), bodies.Select(b => b.GetProperty("instId").GetString()).Order(StringComparer.Ordinal));
        Assert.All(bodies, b =>
        {
            Assert.Equal(BackfillTriggers.Timer, b.GetProperty("trigger").GetString());
            Assert.Equal(ExampleSettingsWorker.LookbackHours, b.GetProperty("lookbackHours").GetInt32());
        });
        Assert.All(messages, m => Assert.Equal(timeToLive.TotalSeconds, (m.ExpiresOn!.Value - m.InsertedOn!.Value).TotalSeconds, tolerance: 1));
    }
}
