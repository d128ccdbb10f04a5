using Blofin.Simulator;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Exchange;

public sealed class BlofinRateGateTests
{
    private static readonly CandleQuery Query = new("BTC-USDT", Bar.OneMinute, Limit: 3);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitForTurnAsync_2400RequestsFromManyCallers_NeverOverfillsEitherWindowAtTheExchange()
    {
        // Blofin's real limits on both sides; the clock starts off any second boundary.
        const int callers = 32;
        const int requestsPerCaller = 75;
        await using var harness = await ExchangeHarness.StartAsync(start: ExchangeHarness.Start.AddMilliseconds(370));
        var finished = 0;
        async Task CallerAsync()
        {
            for (var i = 0; i < requestsPerCaller; i++)
            {
                await harness.Client.GetCandlesAsync(Query, Token);
                Interlocked.Increment(ref finished);
            }
        }

        var fetches = Enumerable.Range(0, callers).Select(_ => Task.Run(CallerAsync, Token)).ToArray();
        await AdvanceUntilAnsweredAsync(harness, fetches, () => Volatile.Read(ref finished));

        var sent = harness.Simulator.Requests.Select(r => r.ReceivedAtUtc).Order().ToArray();
        Assert.Equal(callers * requestsPerCaller, sent.Length);
        Assert.All(harness.Simulator.Requests, r => Assert.Equal(200, r.StatusCode));
        var busiestMinute = MostInAnyWindow(sent, TimeSpan.FromSeconds(60));
        var busiestFiveMinutes = MostInAnyWindow(sent, TimeSpan.FromSeconds(300));
        TestContext.Current.TestOutputHelper?.WriteLine($"busiest 60 s: {busiestMinute}, busiest 300 s: {busiestFiveMinutes}, span {sent[^1] - sent[0]}");
        // Within Blofin's 500 and 1500 by the margin; the gate's argument allows the budget (475, 1425) plus one.
        Assert.InRange(busiestMinute, 1, 476);
        Assert.InRange(busiestFiveMinutes, 1, 1426);
        // The budget is used, not just respected: bursts of 475 at 0, 61, 122, 305, 366 and 427 s.
        Assert.True(sent[^1] - sent[0] < TimeSpan.FromMinutes(8), $"2400 requests took {sent[^1] - sent[0]}.");
    }

    [Fact]
    public async Task WaitForTurnAsync_SendsHeldAfterTheirTurn_NeverOverfillAWindowAtTheExchange()
    {
        // Regression: the gate counted a request when it let it through. On a starved machine (load 36 on 2 cores) the
        // sends left long after, the next window's requests landed on top of the late ones at the exchange, and 501
        // arrived within 60 s: 429, a 5-minute suspension. Here the exchange allows 10 a minute, the client the same
        // without margin (9 a window), and the first window's sends wait 50 s between their turn and the wire.
        const int requests = 27;
        var probe = new SendProbe(holdFirst: 9);
        await using var harness = await ExchangeHarness.StartAsync(
            options => options.ShortWindowLimit = 10,
            new Dictionary<string, string>
            {
                ["ShortWindowLimit"] = "10",
                ["SafetyMargin"] = "0",
                ["AttemptTimeout"] = "00:05:00",
                ["MaxRetries"] = "0",
            },
            wire: probe.CreateHandler);
        var finished = 0;
        var fetches = Enumerable.Range(0, requests).Select(_ => Task.Run(
            async () =>
            {
                await harness.Client.GetCandlesAsync(Query, Token);
                Interlocked.Increment(ref finished);
            },
            Token)).ToArray();
        await ExchangeHarness.WaitUntilAsync(() => probe.Holding == 9 && harness.Gate.IsWaitingForWindow, "a window's worth is let through and held");
        harness.Time.Advance(TimeSpan.FromSeconds(50));
        probe.Release();

        await AdvanceUntilAnsweredAsync(harness, fetches, () => Volatile.Read(ref finished));

        var arrived = harness.Simulator.Requests.Select(r => r.ReceivedAtUtc).Order().ToArray();
        Assert.All(harness.Simulator.Requests, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(requests, arrived.Length);
        Assert.Equal(9, arrived.Count(t => t == ExchangeHarness.Start.AddSeconds(50)));
        Assert.InRange(MostInAnyWindow(arrived, TimeSpan.FromSeconds(60)), 1, 9);
    }

    [Fact]
    public async Task WaitForTurnAsync_WindowFullOfRequestsInFlight_WaitsUntilOneWindowAfterOneEnds()
    {
        await using var harness = await ExchangeHarness.StartAsync(settings: new Dictionary<string, string>
        {
            ["ShortWindowLimit"] = "3",
            ["SafetyMargin"] = "0",
        });
        using var first = await harness.Gate.WaitForTurnAsync(Token);
        using var second = await harness.Gate.WaitForTurnAsync(Token);

        var third = harness.Gate.WaitForTurnAsync(Token);
        await ExchangeHarness.WaitUntilAsync(() => harness.Gate.IsWaitingForWindow, "the third caller queues");
        // However long a request is in flight, it may still arrive: the clock alone frees nothing.
        harness.Time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(TimeSpan.FromMilliseconds(50), Token);
        Assert.False(third.IsCompleted);

        second.Dispose();
        harness.Time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(TimeSpan.FromMilliseconds(50), Token);
        Assert.False(third.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        using var ticket = await third.WaitAsync(TimeSpan.FromSeconds(10), Token);
        Assert.Equal(3, harness.Gate.GrantedCount);
        Assert.Equal(2, harness.Gate.ShortWindowOccupied);
    }

    [Fact]
    public async Task GetCandlesAsync_AttemptTimedOut_HoldsItsPlaceUntilOneWindowAfterTheTimeout()
    {
        // One request a window; the first attempt is held before the wire until its timeout abandons it.
        var probe = new SendProbe(holdFirst: 1);
        await using var harness = await ExchangeHarness.StartAsync(
            settings: new Dictionary<string, string>
            {
                ["ShortWindowLimit"] = "2",
                ["SafetyMargin"] = "0",
                ["AttemptTimeout"] = "00:00:10",
                ["MaxRetries"] = "0",
            },
            wire: probe.CreateHandler);
        var abandoned = harness.Client.GetCandlesAsync(Query, Token);
        await ExchangeHarness.WaitUntilAsync(() => probe.Holding == 1, "the first attempt is held");
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<BlofinUnavailableException>(() => abandoned.WaitAsync(TimeSpan.FromSeconds(10), Token));

        var next = harness.Client.GetCandlesAsync(Query, Token);
        harness.Time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(TimeSpan.FromMilliseconds(50), Token);
        Assert.Equal(1, probe.Sent);
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        await next.WaitAsync(TimeSpan.FromSeconds(10), Token);
        var answered = Assert.Single(harness.Simulator.Requests);
        Assert.Equal(ExchangeHarness.Start.AddSeconds(70), answered.ReceivedAtUtc);
    }

    [Fact]
    public async Task GetCandlesAsync_CancelledInFlight_HoldsItsPlaceUntilOneWindowAfterTheCancellation()
    {
        var probe = new SendProbe(holdFirst: 1);
        await using var harness = await ExchangeHarness.StartAsync(
            settings: new Dictionary<string, string> { ["ShortWindowLimit"] = "2", ["SafetyMargin"] = "0" },
            wire: probe.CreateHandler);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var cancelled = harness.Client.GetCandlesAsync(Query, cancellation.Token);
        await ExchangeHarness.WaitUntilAsync(() => probe.Holding == 1, "the first attempt is held");
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(10), Token));

        var next = harness.Client.GetCandlesAsync(Query, Token);
        harness.Time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(TimeSpan.FromMilliseconds(50), Token);
        Assert.Equal(1, probe.Sent);
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        await next.WaitAsync(TimeSpan.FromSeconds(10), Token);
        var answered = Assert.Single(harness.Simulator.Requests);
        Assert.Equal(ExchangeHarness.Start.AddSeconds(65), answered.ReceivedAtUtc);
    }

    [Fact]
    public async Task WaitForTurnAsync_After429_SendsNothingUntilThePauseEnds()
    {
        // The exchange allows 5 requests a minute; the client, misconfigured, believes 500.
        await using var harness = await ExchangeHarness.StartAsync(options =>
        {
            options.ShortWindowLimit = 5;
            options.ShortWindowBan = TimeSpan.FromMinutes(5);
        });
        for (var i = 0; i < 5; i++)
        {
            await harness.Client.GetCandlesAsync(Query, Token);
        }

        var limited = await Assert.ThrowsAsync<BlofinRateLimitedException>(() => harness.Client.GetCandlesAsync(Query, Token));
        var next = harness.Client.GetCandlesAsync(Query, Token);
        harness.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromMilliseconds(50), Token);

        Assert.False(next.IsCompleted);
        Assert.Equal(6, harness.Simulator.Requests.Count);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var candles = await next.WaitAsync(TimeSpan.FromSeconds(10), Token);
        Assert.Equal(3, candles.Count);
        var last = harness.Simulator.Requests[^1];
        Assert.Equal(200, last.StatusCode);
        Assert.Equal(limited.ResumeAtUtc, last.ReceivedAtUtc);
    }

    [Fact]
    public async Task WaitForTurnAsync_After403_SendsNothingUntilTheBannedPauseEnds()
    {
        await using var harness = await ExchangeHarness.StartAsync(settings: new Dictionary<string, string> { ["BannedPause"] = "00:10:00" });
        harness.Simulator.EnqueueFault(SimulatedFault.Banned);
        await Assert.ThrowsAsync<BlofinBannedException>(() => harness.Client.GetCandlesAsync(Query, Token));

        var waiting = Enumerable.Range(0, 3).Select(_ => harness.Client.GetCandlesAsync(Query, Token)).ToArray();
        harness.Time.Advance(TimeSpan.FromMinutes(9));
        await Task.Delay(TimeSpan.FromMilliseconds(50), Token);

        Assert.All(waiting, task => Assert.False(task.IsCompleted));
        Assert.Single(harness.Simulator.Requests);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(10), Token);
        Assert.All(harness.Simulator.Requests.Skip(1), r => Assert.Equal(ExchangeHarness.Start.AddMinutes(10), r.ReceivedAtUtc));
    }

    [Fact]
    public async Task Pause_Called_LogsAWarningWithTheResumeTime()
    {
        await using var harness = await ExchangeHarness.StartAsync();

        harness.Gate.Pause(TimeSpan.FromMinutes(5), "HTTP 429");

        var record = Assert.Single(harness.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("HTTP 429", record.Message, StringComparison.Ordinal);
        Assert.Contains(ExchangeHarness.Start.AddMinutes(5).ToString("O", System.Globalization.CultureInfo.InvariantCulture), record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_ShorterThanTheCurrentOne_KeepsTheLongerPause()
    {
        await using var harness = await ExchangeHarness.StartAsync();

        harness.Gate.Pause(TimeSpan.FromHours(1), "HTTP 403");
        var resumeAt = harness.Gate.Pause(TimeSpan.FromMinutes(5), "HTTP 429");

        Assert.Equal(ExchangeHarness.Start.AddHours(1), resumeAt);
        Assert.Equal(ExchangeHarness.Start.AddHours(1), harness.Gate.ResumeAtUtc);
    }

    [Fact]
    public async Task WaitForTurnAsync_CancelledWhileQueuedForAWindow_ThrowsOperationCanceled()
    {
        await using var harness = await ExchangeHarness.StartAsync(settings: new Dictionary<string, string>
        {
            ["ShortWindowLimit"] = "3",
            ["SafetyMargin"] = "0",
        });
        using var first = await harness.Gate.WaitForTurnAsync(Token);
        using var second = await harness.Gate.WaitForTurnAsync(Token);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var queued = harness.Gate.WaitForTurnAsync(cancellation.Token);
        await ExchangeHarness.WaitUntilAsync(() => harness.Gate.IsWaitingForWindow, "the third caller queues");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(2, harness.Gate.GrantedCount);
    }

    [Theory]
    [InlineData(500, 0.05, 475)]
    [InlineData(1500, 0.05, 1425)]
    [InlineData(500, 0.1, 450)]
    [InlineData(500, 0.0, 499)]
    [InlineData(2, 0.0, 1)]
    public void Budget_LimitAndMargin_LeavesTheMarginAndAtLeastOneRequest(int limit, double margin, int expected)
    {
        Assert.Equal(expected, RateWindow.Budget(limit, margin));
    }

    /// <summary>The most requests in any half-open span [t, t + window) starting at a request.</summary>
    /// <summary>Moves the fake clock a second at a time until every fetch has ended, but only when nothing can move
    /// without it: the caller at the head waits for a window and every request let through has been answered (so it
    /// reached the exchange at the time it was let through). A refused request fails at once: the callers behind it
    /// would wait on the clock for ever.</summary>
    private static async Task AdvanceUntilAnsweredAsync(ExchangeHarness harness, Task[] fetches, Func<int> answered)
    {
        var all = Task.WhenAll(fetches);
        var realTime = System.Diagnostics.Stopwatch.StartNew();
        while (!all.IsCompleted && !fetches.Any(t => t.IsFaulted))
        {
            if (harness.Gate.IsWaitingForWindow && harness.Gate.GrantedCount == answered())
            {
                harness.Time.Advance(TimeSpan.FromSeconds(1));
                Assert.True(harness.Time.GetUtcNow() - ExchangeHarness.Start < TimeSpan.FromMinutes(30), $"Stuck: {answered()} requests answered after 30 minutes.");
            }

            Assert.True(realTime.Elapsed < TimeSpan.FromMinutes(1), $"Stuck: {answered()} requests answered, {harness.Gate.GrantedCount} let through.");
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromMilliseconds(1), Token));
        }

        await (fetches.FirstOrDefault(t => t.IsFaulted) ?? all);
    }

    private static int MostInAnyWindow(DateTimeOffset[] sortedTimes, TimeSpan window)
    {
        var most = 0;
        var end = 0;
        for (var start = 0; start < sortedTimes.Length; start++)
        {
            while (end < sortedTimes.Length && sortedTimes[end] - sortedTimes[start] < window)
            {
                end++;
            }

            most = Math.Max(most, end - start);
        }

        return most;
    }
}
