using Microsoft.Extensions.Time.Testing;

namespace Blofin.Simulator;

public sealed class SimulatedMarketTests
{
    private const long MinuteMs = 60_000;
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 34, 30, TimeSpan.Zero);
    private static readonly long CurrentMinuteMs = Now.ToUnixTimeMilliseconds() / MinuteMs * MinuteMs;

    [Fact]
    public void GetCandles_SameSeed_ReturnsTheSameCandlesWhenEverAsked()
    {
        var early = Market(SimulatorOptions.CreateDefault(), Now);
        var later = Market(SimulatorOptions.CreateDefault(), Now.AddDays(3));

        var fromEarly = early.GetCandles("BTC-USDT", "1m", CurrentMinuteMs, null, 1440);
        var fromLater = later.GetCandles("BTC-USDT", "1m", CurrentMinuteMs, null, 1440);

        Assert.Equal(1440, fromEarly.Count);
        Assert.Equal(fromEarly, fromLater);
    }

    [Fact]
    public void GetCandles_OtherSeed_ReturnsOtherCandles()
    {
        var options = SimulatorOptions.CreateDefault();
        options.Seed = 2;

        var one = Market(SimulatorOptions.CreateDefault(), Now).GetCandles("ETH-USDT", "1m", CurrentMinuteMs, null, 10);
        var two = Market(options, Now).GetCandles("ETH-USDT", "1m", CurrentMinuteMs, null, 10);

        Assert.NotEqual(one.Select(c => c.Close), two.Select(c => c.Close));
    }

    [Theory]
    [InlineData("BTC-USDT")]
    [InlineData("SHIB-USDT")]
    [InlineData("PEPE-USDT")]
    [InlineData(SimulatorOptions.NewListingInstId)]
    public void GetCandles_AWeekOfMinutes_AreValidAndConsistent(string instId)
    {
        var market = Market(SimulatorOptions.CreateDefault(), Now);
        var instrument = market.Instruments.Single(i => i.InstId == instId);
        var candles = new List<SimulatedCandle>();
        for (long? after = null; candles.Count < 7 * 1440;)
        {
            var page = market.GetCandles(instId, "1m", after, null, 1440);
            if (page.Count == 0)
            {
                break;
            }

            candles.AddRange(page);
            after = page[^1].OpenTimeMs;
        }

        Assert.NotEmpty(candles);
        Assert.All(candles, c =>
        {
            Assert.True(c.Low > 0 && c.Low <= Math.Min(c.Open, c.Close) && Math.Max(c.Open, c.Close) <= c.High, $"OHLC {c}");
            Assert.Equal(0, c.Open % instrument.TickSize);
            Assert.Equal(c.Volume * instrument.ContractValue, c.VolumeCurrency);
            Assert.InRange(c.VolumeQuote, (c.VolumeCurrency * c.Low) - 0.0001m, (c.VolumeCurrency * c.High) + 0.0001m);
        });
        Assert.All(candles.Zip(candles.Skip(1)), pair => Assert.Equal(pair.First.OpenTimeMs - MinuteMs, pair.Second.OpenTimeMs));
        // A walk around its start price, not a drift away from it.
        Assert.InRange(candles.Average(c => (double)c.Close), (double)instrument.StartPrice / 2, (double)instrument.StartPrice * 2);
    }

    [Fact]
    public void GetCandles_Newest_IsTheFormingMinuteWithPartOfItsVolume()
    {
        var market = Market(SimulatorOptions.CreateDefault(), Now);
        var later = Market(SimulatorOptions.CreateDefault(), Now.AddSeconds(30));

        var forming = market.GetCandles("BTC-USDT", "1m", null, null, 2);
        Assert.True(later.TryGetCandle("BTC-USDT", "1m", CurrentMinuteMs, out var closed));

        Assert.Equal(CurrentMinuteMs, forming[0].OpenTimeMs);
        Assert.False(forming[0].IsConfirmed);
        Assert.True(forming[1].IsConfirmed);
        Assert.True(closed.IsConfirmed);
        Assert.Equal(closed.Open, forming[0].Open);
        Assert.True(forming[0].Volume < closed.Volume, $"forming {forming[0].Volume}, closed {closed.Volume}");
    }

    [Fact]
    public void GetCandles_HourBar_IsTheSumOfItsMinutes()
    {
        var market = Market(SimulatorOptions.CreateDefault(), Now);
        var hourOpen = (CurrentMinuteMs / 3_600_000 * 3_600_000) - 3_600_000;

        Assert.True(market.TryGetCandle("SOL-USDT", "1H", hourOpen, out var hour));
        var minutes = market.GetCandles("SOL-USDT", "1m", hourOpen + 3_600_000, hourOpen - 1, 1440);

        Assert.Equal(60, minutes.Count);
        Assert.Equal(minutes[^1].Open, hour.Open);
        Assert.Equal(minutes[0].Close, hour.Close);
        Assert.Equal(minutes.Max(m => m.High), hour.High);
        Assert.Equal(minutes.Min(m => m.Low), hour.Low);
        Assert.Equal(minutes.Sum(m => m.Volume), hour.Volume);
        Assert.Equal(minutes.Sum(m => m.VolumeQuote), hour.VolumeQuote);
        Assert.True(hour.IsConfirmed);
    }

    [Theory]
    [InlineData("1m")]
    [InlineData("3m")]
    [InlineData("5m")]
    [InlineData("15m")]
    [InlineData("30m")]
    [InlineData("1H")]
    [InlineData("2H")]
    [InlineData("4H")]
    [InlineData("6H")]
    [InlineData("8H")]
    [InlineData("12H")]
    [InlineData("1D")]
    [InlineData("3D")]
    [InlineData("1W")]
    public void GetCandles_FixedLengthBar_OpensOnMultiplesOfItsLength(string bar)
    {
        var market = Market(SimulatorOptions.CreateDefault(), Now);
        var lengthMs = bar[^1] switch { 'm' => 60_000L, 'H' => 3_600_000L, 'D' => 86_400_000L, _ => 604_800_000L } * long.Parse(bar[..^1], System.Globalization.CultureInfo.InvariantCulture);

        var candles = market.GetCandles("ETH-USDT", bar, null, null, 5);

        Assert.Equal(5, candles.Count);
        Assert.All(candles, c => Assert.Equal(0, c.OpenTimeMs % lengthMs));
        Assert.All(candles.Zip(candles.Skip(1)), pair => Assert.Equal(lengthMs, pair.First.OpenTimeMs - pair.Second.OpenTimeMs));
        Assert.False(candles[0].IsConfirmed);
    }

    [Fact]
    public void GetCandles_MonthBar_OpensOnTheFirstOfEachMonth()
    {
        var market = Market(SimulatorOptions.CreateDefault(), Now);

        var candles = market.GetCandles("BTC-USDT", "1M", null, null, 3);

        Assert.Equal(
            [new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)],
            candles.Select(c => DateTimeOffset.FromUnixTimeMilliseconds(c.OpenTimeMs)));
    }

    [Fact]
    public void GetCandles_BeforeTheListing_HasNothing()
    {
        var market = Market(SimulatorOptions.CreateDefault(), Now);
        var listTimeMs = market.ListTimeMs(SimulatorOptions.NewListingInstId);

        var oldest = market.GetCandles(SimulatorOptions.NewListingInstId, "1m", listTimeMs + (3 * MinuteMs), null, 100);

        Assert.Equal(Now.AddDays(-2).ToUnixTimeMilliseconds() / MinuteMs * MinuteMs, listTimeMs);
        Assert.Equal([listTimeMs + (2 * MinuteMs), listTimeMs + MinuteMs, listTimeMs], oldest.Select(c => c.OpenTimeMs));
        Assert.False(market.TryGetCandle(SimulatorOptions.NewListingInstId, "1m", listTimeMs - MinuteMs, out _));
    }

    [Fact]
    public void GetCandles_HistoryRetention_LimitsMinutesButNotHours()
    {
        var options = SimulatorOptions.CreateDefault();
        options.HistoryRetention = TimeSpan.FromDays(7);
        var market = Market(options, Now);
        var oldestMinuteMs = Now.AddDays(-7).ToUnixTimeMilliseconds() / MinuteMs * MinuteMs;

        Assert.Equal(oldestMinuteMs, market.OldestOpenTimeMs("BTC-USDT", "1m"));
        Assert.Empty(market.GetCandles("BTC-USDT", "1m", oldestMinuteMs, null, 10));
        Assert.Single(market.GetCandles("BTC-USDT", "1m", oldestMinuteMs + MinuteMs, null, 10));
        Assert.Equal(market.ListTimeMs("BTC-USDT"), market.OldestOpenTimeMs("BTC-USDT", "1H"));
        Assert.NotEmpty(market.GetCandles("BTC-USDT", "1H", oldestMinuteMs, null, 10));
    }

    [Fact]
    public void GetCandles_Hole_IsSkippedByMinutesAndLeftOutOfTheHour()
    {
        var hourOpen = (CurrentMinuteMs / 3_600_000 * 3_600_000) - 3_600_000;
        var hole = hourOpen + (10 * MinuteMs);
        var withHole = Market(SimulatorOptions.CreateDefault().AddHole("BTC-USDT", hole), Now);
        var without = Market(SimulatorOptions.CreateDefault(), Now);

        var minutes = withHole.GetCandles("BTC-USDT", "1m", hole + (2 * MinuteMs), null, 3);
        Assert.True(withHole.TryGetCandle("BTC-USDT", "1H", hourOpen, out var hour));
        Assert.True(without.TryGetCandle("BTC-USDT", "1H", hourOpen, out var fullHour));
        Assert.True(without.TryGetCandle("BTC-USDT", "1m", hole, out var missing));

        Assert.Equal([hole + MinuteMs, hole - MinuteMs, hole - (2 * MinuteMs)], minutes.Select(c => c.OpenTimeMs));
        Assert.False(withHole.TryGetCandle("BTC-USDT", "1m", hole, out _));
        Assert.True(withHole.IsHole("BTC-USDT", hole));
        Assert.Equal(fullHour.Volume - missing.Volume, hour.Volume);
    }

    [Fact]
    public void CreateDefault_Instruments_AreTheDocumentedMix()
    {
        var options = SimulatorOptions.CreateDefault();
        var market = Market(options, Now);

        var liveOld = market.Instruments.Where(i => i.State == "live" && market.ListTimeMs(i.InstId) < Now.AddDays(-30).ToUnixTimeMilliseconds()).ToList();

        Assert.True(liveOld.Count >= 32, $"{liveOld.Count} live instruments listed long ago");
        Assert.All(liveOld, i => Assert.EndsWith("-USDT", i.InstId, StringComparison.Ordinal));
        Assert.Superset(new HashSet<string> { "BTC-USDT", "ETH-USDT", "SOL-USDT", "SHIB-USDT" }, liveOld.Select(i => i.InstId).ToHashSet());
        Assert.Equal("suspend", market.Instruments.Single(i => i.InstId == SimulatorOptions.SuspendedInstId).State);
        Assert.InRange(market.GetCandles("BTC-USDT", "1m", null, null, 1)[0].Close, 50_000m, 200_000m);
        Assert.InRange(market.GetCandles("SHIB-USDT", "1m", null, null, 1)[0].Close, 0.000005m, 0.0001m);
    }

    private static SimulatedMarket Market(SimulatorOptions options, DateTimeOffset now) => new(options, new FakeTimeProvider(now));
}
