using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Blofin.Simulator;

namespace Blofin.Backfill.Backfill;

public sealed class SymbolBackfillerTests
{
    private const long MinuteMs = 60_000;

    [Fact]
    public async Task RunAsync_EmptyDatabase_FillsTheWeekInEightRequestsPerSymbol()
    {
        await using var harness = await BackfillHarness.StartAsync();
        string[] symbols = ["BTC-USDT", "ETH-USDT"];

        var results = await Task.WhenAll(symbols.Select(s => harness.Backfiller.RunAsync(BackfillHarness.Request(s), harness.Store, null, TestContext.Current.CancellationToken)));

        foreach (var (symbol, result) in symbols.Zip(results))
        {
            Assert.Equal(GapFillRunStatus.Succeeded, result.Status);
            Assert.Equal(10_081, result.Expected);
            Assert.Equal(0, result.PresentBefore);
            Assert.Equal(10_081, result.PresentAfter);
            Assert.Equal(10_081, result.Inserted);
            Assert.Equal(8, result.Requests);
            Assert.Equal(8, harness.Simulator.CountCandleRequests(symbol));
            var coverage = await harness.CoverageAsync(symbol, result.Window);
            Assert.Equal(10_081, coverage.PresentCount);
            Assert.Equal(100.0, coverage.PresentPercent);
        }
    }

    [Fact]
    public async Task RunAsync_EarlierToolsTwentyPercent_ReachesFullCoverageWithTheFewestRequests()
    {
        await using var harness = await BackfillHarness.StartAsync();
        var window = CoverageWindow.ForRun(BackfillHarness.Start, Bar.OneMinute, 168);
        var random = new Random(20_1);
        var all = Enumerable.Range(0, 10_081).Select(i => window.StartMs + (i * MinuteMs)).ToArray();
        var present = all.OrderBy(_ => random.Next()).Take(2_023).Order().ToArray();
        await harness.SeedAsync("BTC-USDT", present);
        var missing = all.Except(present).ToArray();

        var first = await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT"), harness.Store, null, TestContext.Current.CancellationToken);
        var requestsAfterFirst = harness.Simulator.CountCandleRequests("BTC-USDT");
        var second = await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT"), harness.Store, null, TestContext.Current.CancellationToken);

        Assert.Equal(2_023, first.PresentBefore);
        Assert.Equal(10_081, first.PresentAfter);
        Assert.Equal(8_058, first.Inserted);
        Assert.Equal(FewestPagesCovering(missing, 1440), first.Requests);
        Assert.Equal(first.Requests, requestsAfterFirst);
        Assert.Equal(0, second.Requests);
        Assert.Equal(requestsAfterFirst, harness.Simulator.CountCandleRequests("BTC-USDT"));
        Assert.Equal(GapFillRunStatus.Succeeded, second.Status);
    }

    [Fact]
    public async Task RunAsync_HolesAtTheExchange_RecordsThemOnceAndNeverAsksAgain()
    {
        var window = CoverageWindow.ForRun(BackfillHarness.Start, Bar.OneMinute, 168);
        long[] holes = [window.StartMs + (1_000 * MinuteMs), window.StartMs + (5_000 * MinuteMs), window.StartMs + (5_001 * MinuteMs)];
        await using var harness = await BackfillHarness.StartAsync(options =>
        {
            foreach (var hole in holes)
            {
                options.AddHole("ETH-USDT", hole);
            }
        });

        var first = await harness.Backfiller.RunAsync(BackfillHarness.Request("ETH-USDT"), harness.Store, null, TestContext.Current.CancellationToken);
        var requests = harness.Simulator.CountCandleRequests("ETH-USDT");
        var second = await harness.Backfiller.RunAsync(BackfillHarness.Request("ETH-USDT"), harness.Store, null, TestContext.Current.CancellationToken);
        var coverage = await harness.CoverageAsync("ETH-USDT", window);

        Assert.Equal(3, first.SourceGapMinutes);
        Assert.Equal(10_078, first.PresentAfter);
        Assert.Equal(0, second.Requests);
        Assert.Equal(requests, harness.Simulator.CountCandleRequests("ETH-USDT"));
        Assert.Equal(10_078, coverage.PresentCount);
        Assert.Equal(3, coverage.SourceGapCount);
        Assert.Equal(0, coverage.MissingCount);
    }

    [Fact]
    public async Task RunAsync_FormingCandle_IsNotStoredUntilItCloses()
    {
        await using var harness = await BackfillHarness.StartAsync();
        var formingMs = BackfillHarness.Start.ToUnixTimeMilliseconds() / MinuteMs * MinuteMs;

        await harness.Backfiller.RunAsync(BackfillHarness.Request("SOL-USDT", lookbackHours: 1), harness.Store, null, TestContext.Current.CancellationToken);
        var before = await OpenTimesAsync(harness, "SOL-USDT", formingMs);
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var later = await harness.Backfiller.RunAsync(BackfillHarness.Request("SOL-USDT", lookbackHours: 1), harness.Store, null, TestContext.Current.CancellationToken);
        var after = await OpenTimesAsync(harness, "SOL-USDT", formingMs);

        Assert.Empty(before);
        Assert.Equal([formingMs], after);
        Assert.Equal(1, later.Requests);
        Assert.Equal(1, later.Inserted);
    }

    [Fact]
    public async Task RunAsync_NewListing_NeverRequestsBelowItsListTime()
    {
        await using var harness = await BackfillHarness.StartAsync();
        var listTimeMs = harness.Simulator.Market.ListTimeMs(SimulatorOptions.NewListingInstId);

        var result = await harness.Backfiller.RunAsync(BackfillHarness.Request(SimulatorOptions.NewListingInstId), harness.Store, null, TestContext.Current.CancellationToken);

        var requests = harness.Simulator.Requests.Where(r => r.IsCandles).ToList();
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.True(r.AfterMs > listTimeMs, $"after={r.AfterMs} at or below listTime={listTimeMs}"));
        Assert.Equal(GapFillRunStatus.Succeeded, result.Status);
        Assert.Equal(result.Expected, result.PresentAfter);
        Assert.True(result.Expected < 10_081, "the window starts at the listing");
        Assert.Equal((int)Math.Ceiling(result.Expected / 1440.0), result.Requests);
    }

    [Fact]
    public async Task RunAsync_UnknownInstrument_ThrowsBeforeAnyCandleRequest()
    {
        await using var harness = await BackfillHarness.StartAsync();

        var error = await Assert.ThrowsAsync<BlofinUnknownInstrumentException>(() =>
            harness.Backfiller.RunAsync(BackfillHarness.Request("NOPE-USDT"), harness.Store, null, TestContext.Current.CancellationToken));

        Assert.Contains("NOPE-USDT", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Simulator.CountCandleRequests());
    }

    [Fact]
    public async Task RunAsync_EveryRun_RecordsOneRunRow()
    {
        await using var harness = await BackfillHarness.StartAsync();

        await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT", lookbackHours: 2), harness.Store, null, TestContext.Current.CancellationToken);
        await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT", lookbackHours: 2), harness.Store, null, TestContext.Current.CancellationToken);

        await using var database = await CandleDatabase.OpenReadOnlyAsync(harness.DatabasePath, TestContext.Current.CancellationToken);
        var runs = await database.GetRunsAsync("BTC-USDT", Bar.OneMinute, null, 10, TestContext.Current.CancellationToken);
        Assert.Equal(2, runs.Count);
        Assert.Equal([0, 1], runs.Select(r => r.Requests).Order());
        Assert.All(runs, r => Assert.Equal(BackfillTriggers.Cli, r.Trigger));
        Assert.All(runs, r => Assert.Equal(121, r.PresentAfter));
    }

    [Fact]
    public async Task RunAsync_ProgressReportsEveryPage()
    {
        await using var harness = await BackfillHarness.StartAsync();
        var pages = new List<PageFetched>();

        await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT", lookbackHours: 48), harness.Store, new SyncProgress(pages), TestContext.Current.CancellationToken);

        Assert.Equal(3, pages.Count);
        Assert.Equal(2_881, pages.Sum(p => p.NewRows));
        Assert.All(pages, p => Assert.Equal(3, p.PageCount));
    }

    private static async Task<IReadOnlyList<long>> OpenTimesAsync(BackfillHarness harness, string instId, long openTimeMs)
    {
        await using var database = await CandleDatabase.OpenReadOnlyAsync(harness.DatabasePath, TestContext.Current.CancellationToken);
        return await database.GetOpenTimesAsync(instId, Bar.OneMinute, openTimeMs, openTimeMs, TestContext.Current.CancellationToken);
    }

    // Independent of FetchPlanner: walk the missing minutes from the newest; each page covers `size` minutes below its cursor.
    private static int FewestPagesCovering(IReadOnlyList<long> missingAscending, int size)
    {
        var pages = 0;
        long? coveredDownTo = null;
        foreach (var minute in missingAscending.Reverse())
        {
            if (coveredDownTo is { } floor && minute >= floor)
            {
                continue;
            }

            pages++;
            coveredDownTo = minute - ((size - 1) * MinuteMs);
        }

        return pages;
    }

    private sealed class SyncProgress(List<PageFetched> pages) : IProgress<PageFetched>
    {
        public void Report(PageFetched value)
        {
            lock (pages)
            {
                pages.Add(value);
            }
        }
    }
}
