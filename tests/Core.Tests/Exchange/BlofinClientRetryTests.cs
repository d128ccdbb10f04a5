using Blofin.Simulator;

namespace Blofin.Backfill.Exchange;

public sealed class BlofinClientRetryTests
{
    private static readonly CandleQuery Query = new("BTC-USDT", Bar.OneMinute, Limit: 10);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetCandlesAsync_TwoServerErrorsThenSuccess_RetriesAndReturnsThePage()
    {
        await using var harness = await ExchangeHarness.StartAsync();
        harness.Simulator.EnqueueFault(SimulatedFault.ServerError, count: 2);

        var candles = await harness.Client.GetCandlesAsync(Query, Token);

        Assert.Equal(10, candles.Count);
        Assert.Equal([500, 500, 200], harness.Simulator.Requests.Select(r => r.StatusCode));
    }

    [Theory]
    [InlineData(SimulatedFault.ServerErrorBody)]
    [InlineData(SimulatedFault.MalformedBody)]
    [InlineData(SimulatedFault.TruncatedBody)]
    public async Task GetCandlesAsync_TransientBodyThenSuccess_RetriesOnce(SimulatedFault fault)
    {
        await using var harness = await ExchangeHarness.StartAsync();
        harness.Simulator.EnqueueFault(fault);

        var candles = await harness.Client.GetCandlesAsync(Query, Token);

        Assert.Equal(10, candles.Count);
        Assert.Equal(2, harness.Simulator.CountCandleRequests());
    }

    [Fact]
    public async Task GetCandlesAsync_RetryDelays_WaitOnTheInjectedClockAndGrow()
    {
        await using var harness = await ExchangeHarness.StartAsync(settings: new Dictionary<string, string> { ["RetryBaseDelay"] = "00:00:10" });
        harness.Simulator.EnqueueFault(SimulatedFault.ServerError, count: 3);

        var candles = await harness.DriveAsync(harness.Client.GetCandlesAsync(Query, Token), TimeSpan.FromSeconds(1));

        Assert.Equal(10, candles.Count);
        var sent = harness.Simulator.Requests.Select(r => r.ReceivedAtUtc).Order().ToArray();
        Assert.Equal(4, sent.Length);
        Assert.True(sent[^1] - sent[0] >= TimeSpan.FromSeconds(10), $"Retries were not spaced on the clock: {string.Join(", ", sent)}");
    }

    [Fact]
    public async Task GetCandlesAsync_UnknownInstrument_SendsExactlyOneRequest()
    {
        const string instId = "NOPE-USDT";
        await using var harness = await ExchangeHarness.StartAsync();

        await Assert.ThrowsAsync<BlofinUnknownInstrumentException>(
            () => harness.Client.GetCandlesAsync(new CandleQuery(instId, Bar.OneMinute), Token));

        Assert.Equal(1, harness.Simulator.CountCandleRequests(instId));
    }

    [Theory]
    [InlineData(SimulatedFault.RateLimited)]
    [InlineData(SimulatedFault.RateLimitedBody)]
    [InlineData(SimulatedFault.Banned)]
    public async Task GetCandlesAsync_RateLimitedOrBanned_IsNotRetried(SimulatedFault fault)
    {
        await using var harness = await ExchangeHarness.StartAsync();
        harness.Simulator.EnqueueFault(fault);

        await Assert.ThrowsAnyAsync<BlofinException>(() => harness.Client.GetCandlesAsync(Query, Token));

        Assert.Equal(1, harness.Simulator.CountCandleRequests());
    }

    [Fact]
    public async Task GetCandlesAsync_SlowReplyBeyondAttemptTimeout_TimesOutAndRetries()
    {
        await using var harness = await ExchangeHarness.StartAsync(
            options => options.SlowResponseDelay = TimeSpan.FromMinutes(1),
            new Dictionary<string, string> { ["AttemptTimeout"] = "00:00:10" });
        harness.Simulator.EnqueueFault(SimulatedFault.SlowResponse);

        var candles = await harness.DriveAsync(harness.Client.GetCandlesAsync(Query, Token), TimeSpan.FromSeconds(1));

        Assert.Equal(10, candles.Count);
        Assert.Equal([200], harness.Simulator.Requests.Where(r => r.StatusCode != 499).Select(r => r.StatusCode));
        await ExchangeHarness.WaitUntilAsync(() => harness.Simulator.CountCandleRequests() == 2, "the abandoned slow request is logged");
    }

    [Fact]
    public async Task GetCandlesAsync_SlowOnEveryAttempt_ThrowsUnavailable()
    {
        await using var harness = await ExchangeHarness.StartAsync(
            options => options.SlowResponseDelay = TimeSpan.FromMinutes(1),
            new Dictionary<string, string> { ["AttemptTimeout"] = "00:00:10", ["MaxRetries"] = "1" });
        harness.Simulator.EnqueueFault(SimulatedFault.SlowResponse, count: 2);

        var error = await Assert.ThrowsAsync<BlofinUnavailableException>(
            () => harness.DriveAsync(harness.Client.GetCandlesAsync(Query, Token), TimeSpan.FromSeconds(1)));

        Assert.Contains("in time", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCandlesAsync_SlowOnEveryAttempt_RetriesATimeoutOnlyOnce()
    {
        // A late reply means a slow exchange or a starved machine; asking again and again multiplied the traffic.
        await using var harness = await ExchangeHarness.StartAsync(
            options => options.SlowResponseDelay = TimeSpan.FromMinutes(1),
            new Dictionary<string, string> { ["AttemptTimeout"] = "00:00:10", ["MaxRetries"] = "4" });
        harness.Simulator.EnqueueFault(SimulatedFault.SlowResponse, count: 5);

        await Assert.ThrowsAsync<BlofinUnavailableException>(
            () => harness.DriveAsync(harness.Client.GetCandlesAsync(Query, Token), TimeSpan.FromSeconds(1)));

        Assert.Equal(2, harness.Gate.GrantedCount);
    }

    [Fact]
    public async Task GetCandlesAsync_TimeoutThenServerErrors_RetriesTheServerErrors()
    {
        await using var harness = await ExchangeHarness.StartAsync(
            options => options.SlowResponseDelay = TimeSpan.FromMinutes(1),
            new Dictionary<string, string> { ["AttemptTimeout"] = "00:00:10", ["MaxRetries"] = "4" });
        harness.Simulator.EnqueueFault(SimulatedFault.SlowResponse);
        harness.Simulator.EnqueueFault(SimulatedFault.ServerError, count: 2);

        var candles = await harness.DriveAsync(harness.Client.GetCandlesAsync(Query, Token), TimeSpan.FromSeconds(1));

        Assert.Equal(10, candles.Count);
        Assert.Equal(4, harness.Gate.GrantedCount);
    }

    [Fact]
    public async Task GetCandlesAsync_CancelledDuringSlowReply_ThrowsOperationCanceled()
    {
        await using var harness = await ExchangeHarness.StartAsync(options => options.SlowResponseDelay = TimeSpan.FromMinutes(1));
        harness.Simulator.EnqueueFault(SimulatedFault.SlowResponse);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var fetch = harness.Client.GetCandlesAsync(Query, cancellation.Token);
        await ExchangeHarness.WaitUntilAsync(() => harness.Gate.GrantedCount == 1, "the request is sent");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
    }

    [Fact]
    public async Task GetCandlesAsync_CancelledWhilePaused_ThrowsOperationCanceledWithoutSending()
    {
        await using var harness = await ExchangeHarness.StartAsync();
        harness.Gate.Pause(TimeSpan.FromMinutes(5), "test");
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var fetch = harness.Client.GetCandlesAsync(Query, cancellation.Token);
        await Task.Delay(TimeSpan.FromMilliseconds(20), Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
        Assert.Empty(harness.Simulator.Requests);
    }
}
