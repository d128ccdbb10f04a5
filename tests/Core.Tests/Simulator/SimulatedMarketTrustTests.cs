using Microsoft.Extensions.Time.Testing;

namespace Blofin.Simulator;

/// <summary>The simulator's late publishing, late-filled holes, revisions and aggregated bars.</summary>
public sealed class SimulatedMarketTrustTests
{
    private const long Minute = 60_000;
    private const string Btc = "BTC-USDT";
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 30, TimeSpan.Zero);
    private static readonly long StartMinuteMs = Start.ToUnixTimeMilliseconds() / Minute * Minute;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetCandles_PublishDelay_ServesClosedMinutesUnconfirmedUntilItPasses()
    {
        var (simulator, clock) = await StartAsync(options => options.PublishDelay = TimeSpan.FromMinutes(2));
        await using var running = simulator;

        var rows = simulator.Market.GetCandles(Btc, "1m", afterMs: null, beforeMs: null, limit: 4);
        clock.Advance(TimeSpan.FromMinutes(2));
        var later = simulator.Market.GetCandles(Btc, "1m", afterMs: StartMinuteMs, beforeMs: null, limit: 3);

        Assert.Equal([StartMinuteMs, StartMinuteMs - Minute, StartMinuteMs - (2 * Minute), StartMinuteMs - (3 * Minute)], rows.Select(r => r.OpenTimeMs));
        Assert.Equal([false, false, false, true], rows.Select(r => r.IsConfirmed));
        Assert.All(later, r => Assert.True(r.IsConfirmed));
        Assert.Equal(rows[1] with { IsConfirmed = true }, later[0]);
    }

    [Fact]
    public async Task GetCandles_LateFilledHole_IsAbsentUntilItsFillTime()
    {
        var hole = StartMinuteMs - (60 * Minute);
        var (simulator, clock) = await StartAsync(options => options.AddHole(Btc, hole, Start.AddHours(1)));
        await using var running = simulator;

        var before = simulator.Market.TryGetCandle(Btc, "1m", hole, out _);
        clock.Advance(TimeSpan.FromHours(1));
        var after = simulator.Market.TryGetCandle(Btc, "1m", hole, out var filled);

        Assert.False(before);
        Assert.True(after);
        Assert.True(filled!.IsConfirmed);
    }

    [Fact]
    public async Task GetCandles_Revision_ChangesTheConfirmedCandleFromItsTime()
    {
        var minute = StartMinuteMs - (10 * Minute);
        var (simulator, clock) = await StartAsync(options => options.Revisions.Add(new SimulatedRevision(Btc, minute, Start.AddMinutes(5)) { HighTicks = 2, AddedContracts = 3 }));
        await using var running = simulator;

        simulator.Market.TryGetCandle(Btc, "1m", minute, out var original);
        clock.Advance(TimeSpan.FromMinutes(5));
        simulator.Market.TryGetCandle(Btc, "1m", minute, out var revised);

        Assert.Equal(original!.High + 0.2m, revised!.High);
        Assert.Equal(original.Volume + 3, revised.Volume);
        Assert.Equal(revised.Volume * 0.001m, revised.VolumeCurrency);
        Assert.Equal((original.Open, original.Low, original.Close), (revised.Open, revised.Low, revised.Close));
    }

    [Theory]
    [InlineData("5m", 5)]
    [InlineData("15m", 15)]
    [InlineData("1H", 60)]
    [InlineData("4H", 240)]
    public async Task GetCandles_AggregatedBar_IsTheRollupOfItsMinutes(string bar, int minutes)
    {
        var (simulator, _) = await StartAsync(options => options.AddHole(Btc, StartMinuteMs - (7 * 60 * Minute) + (3 * Minute)));
        await using var running = simulator;
        var openMs = (StartMinuteMs - (7 * 60 * Minute)) / (minutes * Minute) * (minutes * Minute);

        Assert.True(simulator.Market.TryGetCandle(Btc, bar, openMs, out var aggregated));
        var parts = Enumerable.Range(0, minutes)
            .Select(i => simulator.Market.TryGetCandle(Btc, "1m", openMs + (i * Minute), out var c) ? c : null)
            .OfType<SimulatedCandle>().ToList();

        Assert.Equal(minutes - 1, parts.Count);
        Assert.Equal(
            (parts[0].Open, parts.Max(p => p.High), parts.Min(p => p.Low), parts[^1].Close, parts.Sum(p => p.Volume), parts.Sum(p => p.VolumeQuote)),
            (aggregated!.Open, aggregated.High, aggregated.Low, aggregated.Close, aggregated.Volume, aggregated.VolumeQuote));
    }

    [Fact]
    public async Task GetCandles_OneHourAfterARevision_FollowsTheRevisedMinute()
    {
        var hourMs = (StartMinuteMs / 3_600_000 * 3_600_000) - 3_600_000;
        var (simulator, clock) = await StartAsync(options => options.Revisions.Add(new SimulatedRevision(Btc, hourMs + (30 * Minute), Start.AddMinutes(1)) { AddedContracts = 7 }));
        await using var running = simulator;

        simulator.Market.TryGetCandle(Btc, "1H", hourMs, out var before);
        clock.Advance(TimeSpan.FromMinutes(1));
        simulator.Market.TryGetCandle(Btc, "1H", hourMs, out var after);

        Assert.Equal(before!.Volume + 7, after!.Volume);
    }

    [Fact]
    public async Task GetCandles_Disagreement_ChangesOnlyThatAggregatedCandle()
    {
        var hourMs = (StartMinuteMs / 3_600_000 * 3_600_000) - (2 * 3_600_000);
        var (plain, _) = await StartAsync();
        await using var runningPlain = plain;
        var (skewed, _) = await StartAsync(options => options.Disagreements.Add(new SimulatedDisagreement(Btc, "1H", hourMs) { CloseTicks = 3, VolumeFactor = 2 }));
        await using var runningSkewed = skewed;

        var expected = plain.Market.GetCandles(Btc, "1H", StartMinuteMs, null, 5);
        var served = skewed.Market.GetCandles(Btc, "1H", StartMinuteMs, null, 5);

        var index = expected.ToList().FindIndex(c => c.OpenTimeMs == hourMs);
        Assert.Equal(expected.Where((_, i) => i != index), served.Where((_, i) => i != index));
        Assert.Equal(expected[index].Close + 0.3m, served[index].Close);
        Assert.Equal(expected[index].Volume * 2, served[index].Volume);
        Assert.Equal(plain.Market.GetCandles(Btc, "1m", StartMinuteMs, null, 300), skewed.Market.GetCandles(Btc, "1m", StartMinuteMs, null, 300));
    }

    private static async Task<(BlofinSimulator Simulator, FakeTimeProvider Clock)> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var clock = new FakeTimeProvider(Start);
        var options = SimulatorOptions.CreateDefault();
        configure?.Invoke(options);
        return (await BlofinSimulator.StartAsync(options, clock, cancellationToken: Ct), clock);
    }
}
