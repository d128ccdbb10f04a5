using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Backfill;

/// <summary><see cref="BackfillOptions.RetentionDays"/>: what a run's merge trims, and what it never does.</summary>
public sealed class RetentionTests
{
    private const long MinuteMs = 60_000;
    private const long DayMs = 1440 * MinuteMs;

    private static readonly long NowMs = BackfillHarness.Start.ToUnixTimeMilliseconds();

    [Fact]
    public async Task RunAsync_RetentionDaysSet_DeletesTheSymbolsOlderCandlesInItsMerge()
    {
        await using var harness = await BackfillHarness.StartAsync(settings: new Dictionary<string, string?> { ["Backfill:RetentionDays"] = "8" });
        var old = Minutes(NowMs - (10 * DayMs), 60);
        var kept = Minutes(NowMs - (7 * DayMs) - (12 * 60 * MinuteMs), 60); // 7.5 days back: outside the window, inside the retention
        await harness.SeedAsync("BTC-USDT", old.Concat(kept));
        await harness.SeedAsync("ETH-USDT", old);

        var result = await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT"), harness.Store, null, TestContext.Current.CancellationToken);

        Assert.Equal(GapFillRunStatus.Succeeded, result.Status);
        Assert.Equal(60, result.Trimmed);
        Assert.Equal(kept, await OpenTimesAsync(harness, "BTC-USDT", NowMs - (9 * DayMs), result.Window.StartMs - 1));
        Assert.Empty(await OpenTimesAsync(harness, "BTC-USDT", 0, NowMs - (8 * DayMs)));
        Assert.Equal(old, await OpenTimesAsync(harness, "ETH-USDT", 0, NowMs));
        Assert.Equal(10_081, result.PresentAfter);
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Message.StartsWith("Trimmed BTC-USDT 1m before ", StringComparison.Ordinal) && r.Message.Contains(": 60 candles,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_NoRetentionDays_KeepsEverything()
    {
        await using var harness = await BackfillHarness.StartAsync();
        var old = Minutes(NowMs - (400 * DayMs), 60);
        await harness.SeedAsync("BTC-USDT", old);

        var result = await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT", lookbackHours: 24), harness.Store, null, TestContext.Current.CancellationToken);

        Assert.Equal(0, result.Trimmed);
        Assert.Equal(old, await OpenTimesAsync(harness, "BTC-USDT", 0, result.Window.StartMs - 1));
    }

    [Fact]
    public async Task RunAsync_RequestWindowLongerThanTheRetention_NeverTrimsInsideItsWindow()
    {
        await using var harness = await BackfillHarness.StartAsync(settings: new Dictionary<string, string?> { ["Backfill:RetentionDays"] = "8" });
        var inWindow = Minutes(NowMs - (9 * DayMs), 60);
        await harness.SeedAsync("BTC-USDT", inWindow);

        var result = await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT", lookbackHours: 10 * 24), harness.Store, null, TestContext.Current.CancellationToken);

        Assert.Equal(0, result.Trimmed);
        Assert.Equal(result.Expected, result.PresentAfter);
        Assert.Equal(inWindow, await OpenTimesAsync(harness, "BTC-USDT", inWindow[0], inWindow[^1]));
    }

    [Theory]
    [InlineData(6, 168, false)]
    [InlineData(7, 168, true)]
    [InlineData(1, 24, true)]
    [InlineData(1, 25, false)]
    public void Validate_RetentionAgainstTheWindow_RejectsOnlyAShorterRetention(int retentionDays, int lookbackHours, bool valid)
    {
        var options = new BackfillOptions { RetentionDays = retentionDays, LookbackHours = lookbackHours };

        var result = new BackfillOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Backfill:RetentionDays", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    private static long[] Minutes(long fromMs, int count)
    {
        var first = fromMs / MinuteMs * MinuteMs;
        return [.. Enumerable.Range(0, count).Select(i => first + (i * MinuteMs))];
    }

    private static async Task<IReadOnlyList<long>> OpenTimesAsync(BackfillHarness harness, string instId, long fromMs, long toMs)
    {
        await using var database = await CandleDatabase.OpenReadOnlyAsync(harness.DatabasePath, TestContext.Current.CancellationToken);
        return await database.GetOpenTimesAsync(instId, Bar.OneMinute, fromMs, toMs, TestContext.Current.CancellationToken);
    }
}
