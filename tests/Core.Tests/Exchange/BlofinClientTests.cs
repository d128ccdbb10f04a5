using Blofin.Simulator;

namespace Blofin.Backfill.Exchange;

public sealed class BlofinClientTests
{
    private const long MinuteMs = 60_000;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetCandlesAsync_NoCursor_ReturnsNewestFirstStartingWithTheFormingCandle()
    {
        await using var harness = await ExchangeHarness.StartAsync();
        var currentMinuteMs = ExchangeHarness.Start.ToUnixTimeMilliseconds() / MinuteMs * MinuteMs;

        var candles = await harness.Client.GetCandlesAsync(new CandleQuery("BTC-USDT", Bar.OneMinute, Limit: 5), Token);

        Assert.Equal(
            [currentMinuteMs, currentMinuteMs - MinuteMs, currentMinuteMs - (2 * MinuteMs), currentMinuteMs - (3 * MinuteMs), currentMinuteMs - (4 * MinuteMs)],
            candles.Select(c => c.OpenTimeMs));
        Assert.False(candles[0].IsConfirmed);
        Assert.All(candles.Skip(1), c => Assert.True(c.IsConfirmed));
    }

    [Fact]
    public async Task GetCandlesAsync_AnyPage_ReturnsExactlyTheSimulatedValues()
    {
        await using var harness = await ExchangeHarness.StartAsync();

        var candles = await harness.Client.GetCandlesAsync(new CandleQuery("SHIB-USDT", Bar.OneMinute, Limit: 1440), Token);

        var expected = harness.Market.GetCandles("SHIB-USDT", "1m", null, null, 1440)
            .Select(c => new Candle(c.OpenTimeMs, c.Open, c.High, c.Low, c.Close, c.Volume, c.VolumeCurrency, c.VolumeQuote, c.IsConfirmed));
        Assert.Equal(expected, candles);
    }

    [Fact]
    public async Task GetCandlesAsync_AfterCursor_ReturnsOnlyRowsStrictlyOlder()
    {
        await using var harness = await ExchangeHarness.StartAsync();
        var after = (ExchangeHarness.Start.ToUnixTimeMilliseconds() / MinuteMs * MinuteMs) - (10 * MinuteMs);

        var candles = await harness.Client.GetCandlesAsync(new CandleQuery("ETH-USDT", Bar.OneMinute, AfterMs: after, Limit: 3), Token);

        Assert.Equal([after - MinuteMs, after - (2 * MinuteMs), after - (3 * MinuteMs)], candles.Select(c => c.OpenTimeMs));
        Assert.All(candles, c => Assert.True(c.IsConfirmed));
    }

    [Fact]
    public async Task GetCandlesAsync_BothBounds_ReturnsOnlyRowsStrictlyBetween()
    {
        await using var harness = await ExchangeHarness.StartAsync();
        var before = (ExchangeHarness.Start.ToUnixTimeMilliseconds() / MinuteMs * MinuteMs) - (100 * MinuteMs);
        var after = before + (4 * MinuteMs);

        var candles = await harness.Client.GetCandlesAsync(new CandleQuery("ETH-USDT", Bar.OneMinute, after, before, Limit: 100), Token);

        Assert.Equal([before + (3 * MinuteMs), before + (2 * MinuteMs), before + MinuteMs], candles.Select(c => c.OpenTimeMs));
    }

    [Fact]
    public async Task GetCandlesAsync_CursorAtListTime_ReturnsEmptyPage()
    {
        await using var harness = await ExchangeHarness.StartAsync();
        var listTimeMs = harness.Market.ListTimeMs("SOL-USDT");

        var atListing = await harness.Client.GetCandlesAsync(new CandleQuery("SOL-USDT", Bar.OneMinute, AfterMs: listTimeMs + (2 * MinuteMs)), Token);
        var beforeListing = await harness.Client.GetCandlesAsync(new CandleQuery("SOL-USDT", Bar.OneMinute, AfterMs: listTimeMs), Token);

        Assert.Equal([listTimeMs + MinuteMs, listTimeMs], atListing.Select(c => c.OpenTimeMs));
        Assert.Empty(beforeListing);
    }

    [Fact]
    public async Task GetCandlesAsync_HourBar_ReturnsHourAlignedRowsMatchingTheSimulation()
    {
        await using var harness = await ExchangeHarness.StartAsync();

        var candles = await harness.Client.GetCandlesAsync(new CandleQuery("BTC-USDT", Bar.OneHour, Limit: 48), Token);

        Assert.Equal(48, candles.Count);
        Assert.All(candles, c => Assert.Equal(0, c.OpenTimeMs % 3_600_000));
        Assert.False(candles[0].IsConfirmed);
        Assert.True(harness.Market.TryGetCandle("BTC-USDT", "1H", candles[5].OpenTimeMs, out var expected));
        Assert.Equal(expected.Close, candles[5].Close);
        Assert.Equal(expected.Volume, candles[5].Volume);
    }

    [Fact]
    public async Task GetCandlesAsync_MinuteWithoutCandle_IsMissingFromThePage()
    {
        var hole = (ExchangeHarness.Start.ToUnixTimeMilliseconds() / MinuteMs * MinuteMs) - (3 * MinuteMs);
        await using var harness = await ExchangeHarness.StartAsync(options => options.AddHole("BTC-USDT", hole));

        var candles = await harness.Client.GetCandlesAsync(new CandleQuery("BTC-USDT", Bar.OneMinute, Limit: 5), Token);

        Assert.DoesNotContain(hole, candles.Select(c => c.OpenTimeMs));
        Assert.Equal(5, candles.Count);
    }

    [Fact]
    public async Task GetCandlesAsync_SendsTheQueryAsBlofinDocumentsIt()
    {
        await using var harness = await ExchangeHarness.StartAsync();

        await harness.Client.GetCandlesAsync(new CandleQuery("BTC-USDT", Bar.OneHour, AfterMs: 1_772_000_000_000, BeforeMs: 1_771_000_000_000, Limit: 7), Token);

        var request = Assert.Single(harness.Simulator.Requests);
        Assert.Equal("?instId=BTC-USDT&bar=1H&after=1772000000000&before=1771000000000&limit=7", request.Query);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1441)]
    public async Task GetCandlesAsync_LimitOutOfRange_ThrowsWithoutSending(int limit)
    {
        await using var harness = await ExchangeHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => harness.Client.GetCandlesAsync(new CandleQuery("BTC-USDT", Bar.OneMinute, Limit: limit), Token));

        Assert.Empty(harness.Simulator.Requests);
    }

    [Fact]
    public async Task GetInstrumentsAsync_DefaultSimulator_ReturnsEveryInstrumentWithItsListTimeAndState()
    {
        await using var harness = await ExchangeHarness.StartAsync();

        var instruments = await harness.Client.GetInstrumentsAsync(Token);

        Assert.Equal(harness.Market.Instruments.Select(i => i.InstId), instruments.Select(i => i.InstId));
        var btc = Assert.Single(instruments, i => i.InstId == "BTC-USDT");
        Assert.Equal(new Instrument("BTC-USDT", "BTC", "USDT", 0.001m, harness.Market.ListTimeMs("BTC-USDT"), null, "SWAP", "linear", "live", "USDT"), btc);
        Assert.False(Assert.Single(instruments, i => i.InstId == SimulatorOptions.SuspendedInstId).IsLive);
        Assert.Equal(
            ExchangeHarness.Start.AddDays(-2).ToUnixTimeMilliseconds() / MinuteMs * MinuteMs,
            Assert.Single(instruments, i => i.InstId == SimulatorOptions.NewListingInstId).ListTimeMs);
    }
}
