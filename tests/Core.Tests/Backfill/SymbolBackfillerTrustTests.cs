using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Blofin.Simulator;

namespace Blofin.Backfill.Backfill;

/// <summary>Late minutes, proven holes and their second look, revised candles and plans, against the simulator.</summary>
public sealed class SymbolBackfillerTrustTests
{
    private const long MinuteMs = 60_000;

    private static readonly long StartMinuteMs = BackfillHarness.Start.ToUnixTimeMilliseconds() / MinuteMs * MinuteMs;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static long At(int minutesFromStart) => StartMinuteMs + (minutesFromStart * MinuteMs);

    [Fact]
    public async Task RunAsync_MinutePublishedLate_IsNeverRecordedAsAHoleAndIsStoredOnTheNextRun()
    {
        await using var harness = await BackfillHarness.StartAsync(options => options.PublishDelay = TimeSpan.FromMinutes(3));

        var first = await RunAsync(harness, "BTC-USDT", lookbackHours: 1);
        var storedEarly = await OpenTimesAsync(harness, "BTC-USDT", At(-3), At(-1));
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await RunAsync(harness, "BTC-USDT", lookbackHours: 1);

        Assert.Equal(first.Expected - 3, first.PresentAfter);
        Assert.Empty(storedEarly);
        Assert.Equal(0, first.SourceGapMinutes + second.SourceGapMinutes);
        Assert.Equal([At(-3), At(-2), At(-1)], await OpenTimesAsync(harness, "BTC-USDT", At(-3), At(-1)));
        Assert.Empty(await GapsAsync(harness, "BTC-USDT"));
    }

    [Fact]
    public async Task RunAsync_MinuteAbsentForAFewMinutesAfterItCloses_IsNotAHoleAndIsStoredLater()
    {
        var late = At(-3);
        await using var harness = await BackfillHarness.StartAsync(options => options.AddHole("SOL-USDT", late, BackfillHarness.Start.AddMinutes(2)));

        await RunAsync(harness, "SOL-USDT", lookbackHours: 1);
        var gapsAfterFirst = await GapsAsync(harness, "SOL-USDT");
        var storedAfterFirst = await OpenTimesAsync(harness, "SOL-USDT", late, late);
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        await RunAsync(harness, "SOL-USDT", lookbackHours: 1);

        Assert.Empty(gapsAfterFirst);
        Assert.Empty(storedAfterFirst);
        Assert.Equal([late], await OpenTimesAsync(harness, "SOL-USDT", late, late));
        Assert.Empty(await GapsAsync(harness, "SOL-USDT"));
    }

    [Fact]
    public async Task RunAsync_RealHole_IsRecordedWithItsEvidenceAndNotRequestedOnTheNextTick()
    {
        var hole = At(-180);
        await using var harness = await BackfillHarness.StartAsync(options => options.AddHole("ETH-USDT", hole));

        await RunAsync(harness, "ETH-USDT");
        var gap = Assert.Single(await GapsAsync(harness, "ETH-USDT"));
        var asked = harness.Simulator.Requests.Count;
        harness.Clock.Advance(TimeSpan.FromMinutes(30));
        var tick = await RunAsync(harness, "ETH-USDT");

        Assert.Equal(new TimeRange(hole, hole), gap.Range);
        Assert.Equal(SourceGapReason.Hole, gap.Reason);
        Assert.Equal(BackfillHarness.Start.ToUnixTimeMilliseconds(), gap.DetectedAtMs);
        Assert.Equal((StartMinuteMs, 1440), (gap.RequestAfterMs, gap.RequestLimit));
        Assert.Equal((hole + MinuteMs, hole - MinuteMs), (gap.NewerNeighbourMs!.Value, gap.OlderNeighbourMs!.Value));
        Assert.False(gap.IsFinal);
        Assert.Equal(1, tick.Requests);
        Assert.Equal(0, CountRequestsCovering(harness, "ETH-USDT", hole, asked));
    }

    [Fact]
    public async Task RunAsync_HoleAfterTheRecheckInterval_IsAskedForOnceThenFinalAndNeverAgain()
    {
        var hole = At(-180);
        await using var harness = await BackfillHarness.StartAsync(options => options.AddHole("ETH-USDT", hole));
        await RunAsync(harness, "ETH-USDT");
        harness.Clock.Advance(TimeSpan.FromHours(23));
        var beforeDue = harness.Simulator.Requests.Count;
        await RunAsync(harness, "ETH-USDT");
        var askedBeforeDue = CountRequestsCovering(harness, "ETH-USDT", hole, beforeDue);

        harness.Clock.Advance(TimeSpan.FromHours(1));
        var beforeRecheck = harness.Simulator.Requests.Count;
        var recheck = await RunAsync(harness, "ETH-USDT");
        var askedOnRecheck = CountRequestsCovering(harness, "ETH-USDT", hole, beforeRecheck);
        var covering = harness.Simulator.Requests.Skip(beforeRecheck).Single(r => Covers(r, hole));
        var final = Assert.Single(await GapsAsync(harness, "ETH-USDT"));

        harness.Clock.Advance(TimeSpan.FromHours(25));
        var afterFinal = harness.Simulator.Requests.Count;
        await RunAsync(harness, "ETH-USDT");
        var askedAfterFinal = CountRequestsCovering(harness, "ETH-USDT", hole, afterFinal);

        Assert.Equal((0, 1, 0), (askedBeforeDue, askedOnRecheck, askedAfterFinal));
        Assert.Equal((0, 1), (recheck.HoleBarsFilled, recheck.HoleBarsFinal));
        Assert.True(final.IsFinal);
        Assert.Equal(new TimeRange(hole, hole), final.Range);
        Assert.Equal(BackfillHarness.Start.AddHours(24).ToUnixTimeMilliseconds(), final.RecheckedAtMs);
        Assert.Equal((covering.AfterMs, covering.Limit), (final.RecheckRequestAfterMs, final.RecheckRequestLimit));
        Assert.Equal(final, Assert.Single(await GapsAsync(harness, "ETH-USDT")));
        Assert.Contains(harness.Logs.GetSnapshot(), log => log.Id.Id == 22 && log.Message.Contains("0 bars filled, 1 bars final", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_DueHoleWithinReachOfANeededPage_IsFoldedIntoItWithoutAnExtraRequest()
    {
        var hole = At(-60);
        await using var harness = await BackfillHarness.StartAsync(
            options => options.AddHole("BTC-USDT", hole),
            new Dictionary<string, string?> { ["Backfill:HoleRecheckAfter"] = "06:00:00" });
        await RunAsync(harness, "BTC-USDT");
        harness.Clock.Advance(TimeSpan.FromHours(6));
        var before = harness.Simulator.Requests.Count;

        var recheck = await RunAsync(harness, "BTC-USDT");

        Assert.Equal(1, recheck.Requests);
        Assert.Equal(1, CountRequestsCovering(harness, "BTC-USDT", hole, before));
        Assert.Equal(1, recheck.HoleBarsFinal);
        Assert.True(Assert.Single(await GapsAsync(harness, "BTC-USDT")).IsFinal);
    }

    [Fact]
    public async Task RunAsync_HoleTheExchangeFillsLater_IsStoredOnItsRecheckAndNoLongerAHole()
    {
        var hole = At(-180);
        await using var harness = await BackfillHarness.StartAsync(options => options.AddHole("ETH-USDT", hole, BackfillHarness.Start.AddHours(2)));
        await RunAsync(harness, "ETH-USDT");
        var recorded = await GapsAsync(harness, "ETH-USDT");
        harness.Clock.Advance(TimeSpan.FromHours(3));
        await RunAsync(harness, "ETH-USDT");
        var storedBeforeDue = await OpenTimesAsync(harness, "ETH-USDT", hole, hole);

        harness.Clock.Advance(TimeSpan.FromHours(21));
        var recheck = await RunAsync(harness, "ETH-USDT");

        Assert.Single(recorded);
        Assert.Empty(storedBeforeDue);
        Assert.Equal((1, 0), (recheck.HoleBarsFilled, recheck.HoleBarsFinal));
        Assert.Equal([hole], await OpenTimesAsync(harness, "ETH-USDT", hole, hole));
        Assert.Empty(await GapsAsync(harness, "ETH-USDT"));
        Assert.True(harness.Simulator.Market.TryGetCandle("ETH-USDT", "1m", hole, out var exchange));
        var stored = await CandlesAsync(harness, "ETH-USDT", hole, hole);
        Assert.Equal(StoredCandle.From(ToCandle(exchange)), Assert.Single(stored));
        var coverage = await harness.CoverageAsync("ETH-USDT", recheck.Window);
        Assert.Equal((recheck.Expected, 0L), (coverage.PresentCount, coverage.SourceGapCount));
    }

    [Fact]
    public async Task RunAsync_RevisedCandle_StoresTheExchangeValueKeepsTheOldRowAndCountsIt()
    {
        var revisedMinute = At(-30);
        await using var harness = await BackfillHarness.StartAsync(options => options.Revisions.Add(
            new SimulatedRevision("BTC-USDT", revisedMinute, BackfillHarness.Start.AddMinutes(1)) { HighTicks = 1, AddedContracts = 5 }));
        var window = CoverageWindow.ForRun(BackfillHarness.Start, Bar.OneMinute, 2);
        var seeded = Enumerable.Range(0, (int)window.ExpectedCount).Select(i => window.StartMs + (i * MinuteMs))
            .Where(ms => ms != revisedMinute - MinuteMs && ms != revisedMinute + MinuteMs).ToList();
        await harness.SeedAsync("BTC-USDT", seeded);
        var original = Assert.Single(await CandlesAsync(harness, "BTC-USDT", revisedMinute, revisedMinute));
        harness.Clock.Advance(TimeSpan.FromMinutes(2));

        var result = await RunAsync(harness, "BTC-USDT", lookbackHours: 2);

        Assert.Equal(1, result.Revised);
        Assert.True(harness.Simulator.Market.TryGetCandle("BTC-USDT", "1m", revisedMinute, out var exchange));
        Assert.Equal(StoredCandle.From(ToCandle(exchange)), Assert.Single(await CandlesAsync(harness, "BTC-USDT", revisedMinute, revisedMinute)));
        await using var database = await CandleDatabase.OpenReadOnlyAsync(harness.DatabasePath, Ct);
        var revision = Assert.Single(await database.GetRevisionsAsync("BTC-USDT", Bar.OneMinute, window.StartMs, At(10), Ct));
        Assert.Equal(original, revision.Replaced);
        Assert.Equal(["high", "vol", "vol_currency", "vol_quote"], revision.ChangedFields);
        Assert.Equal(BackfillHarness.Start.AddMinutes(2).ToUnixTimeMilliseconds(), revision.RevisedAtMs);
        Assert.Equal(1, (await database.GetLastRunAsync("BTC-USDT", Bar.OneMinute, Ct))!.Revised);
        var line = Assert.Single(harness.Logs.GetSnapshot(), log => log.Id.Id == 20);
        Assert.Contains("BTC-USDT 1m candle at 2026-11-20 11:30:00Z", line.Message, StringComparison.Ordinal);
        Assert.Contains("changed high,vol,vol_currency,vol_quote", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanAsync_ThenRunAsync_PlanSendsNoCandleRequestAndTheRunMakesExactlyThePlannedOnes()
    {
        await using var harness = await BackfillHarness.StartAsync(options => options.AddHole("ETH-USDT", At(-500)));
        var window = CoverageWindow.ForRun(BackfillHarness.Start, Bar.OneMinute, 168);
        var random = new Random(13);
        await harness.SeedAsync("BTC-USDT", Enumerable.Range(0, 10_081).Where(_ => random.Next(5) == 0).Select(i => window.StartMs + (i * MinuteMs)));
        string[] symbols = ["BTC-USDT", "ETH-USDT"];

        var plans = new List<BackfillPlan>();
        foreach (var symbol in symbols)
        {
            plans.Add(await harness.Backfiller.PlanAsync(BackfillHarness.Request(symbol), harness.Store, Ct));
        }

        var candleRequestsOfPlan = harness.Simulator.CountCandleRequests();
        foreach (var symbol in symbols)
        {
            await RunAsync(harness, symbol);
        }

        var made = harness.Simulator.Requests.Where(r => r.IsCandles).Select(r => (r.InstId, r.AfterMs, r.Limit)).Order().ToList();
        var planned = plans.SelectMany(p => p.Pages.Select(page => ((string?)p.Request.InstId, (long?)page.AfterMs, (int?)page.Limit))).Order().ToList();
        Assert.Equal(0, candleRequestsOfPlan);
        Assert.True(planned.Count > 8, "the scattered seed needs more than a handful of pages");
        Assert.Equal(planned, made);
    }

    private static Task<BackfillResult> RunAsync(BackfillHarness harness, string instId, int lookbackHours = 168) =>
        harness.Backfiller.RunAsync(BackfillHarness.Request(instId, lookbackHours), harness.Store, null, Ct);

    private static bool Covers(SimulatorRequest request, long openTimeMs) =>
        request is { IsCandles: true, AfterMs: { } after, Limit: { } limit } && openTimeMs < after && openTimeMs >= after - (limit * MinuteMs);

    private static int CountRequestsCovering(BackfillHarness harness, string instId, long openTimeMs, int fromIndex) =>
        harness.Simulator.Requests.Skip(fromIndex).Count(r => r.InstId == instId && Covers(r, openTimeMs));

    private static Candle ToCandle(SimulatedCandle c) =>
        new(c.OpenTimeMs, c.Open, c.High, c.Low, c.Close, c.Volume, c.VolumeCurrency, c.VolumeQuote, c.IsConfirmed);

    private static async Task<IReadOnlyList<SourceGap>> GapsAsync(BackfillHarness harness, string instId)
    {
        await using var database = await CandleDatabase.OpenReadOnlyAsync(harness.DatabasePath, Ct);
        return await database.GetSourceGapsAsync(instId, Bar.OneMinute, 0, long.MaxValue, Ct);
    }

    private static async Task<IReadOnlyList<long>> OpenTimesAsync(BackfillHarness harness, string instId, long fromMs, long toMs)
    {
        await using var database = await CandleDatabase.OpenReadOnlyAsync(harness.DatabasePath, Ct);
        return await database.GetOpenTimesAsync(instId, Bar.OneMinute, fromMs, toMs, Ct);
    }

    private static async Task<IReadOnlyList<StoredCandle>> CandlesAsync(BackfillHarness harness, string instId, long fromMs, long toMs)
    {
        await using var database = await CandleDatabase.OpenReadOnlyAsync(harness.DatabasePath, Ct);
        return await database.GetCandlesAsync(instId, Bar.OneMinute, fromMs, toMs, Ct);
    }
}
