using System.Diagnostics;
using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Microsoft.Data.Sqlite;
using static Blofin.Backfill.Storage.TestCandles;

namespace Blofin.Backfill.Storage;

public sealed class CandleDatabaseCandleTests : OpenedDatabaseTests
{
    private const string Btc = "BTC-USDT";
    private static readonly Bar OneMinute = Bar.OneMinute;

    private static TimeRange R(int fromMinute, int toMinute) => new(M(fromMinute), M(toMinute));

    private static SourceGap Gap(int fromMinute, int toMinute, SourceGapReason reason = SourceGapReason.Hole) =>
        new(R(fromMinute, toMinute), reason, M(500), M(toMinute + 2), 1440, M(toMinute + 1), reason == SourceGapReason.Hole ? M(fromMinute - 1) : null);

    [Fact]
    public async Task InsertMissingAsync_NewRows_ReturnsTheNumberInserted()
    {
        var inserted = await Database.InsertMissingAsync(Btc, OneMinute, Minutes(0, 10), Ct);

        Assert.Equal(10, inserted);
    }

    [Fact]
    public async Task InsertMissingAsync_SameMinutesAgain_InsertsOnlyTheNewOnesAndKeepsStoredValues()
    {
        await Database.InsertMissingAsync(Btc, OneMinute, Minutes(0, 10), Ct);

        var inserted = await Database.InsertMissingAsync(Btc, OneMinute, [.. Enumerable.Range(5, 10).Select(m => At(m, close: 999m))], Ct);

        Assert.Equal(5, inserted);
        Assert.Equal(15, (await Database.GetOpenTimesAsync(Btc, OneMinute, M(0), M(100), Ct)).Count);
        using var connection = TempFolder.Connect(DatabasePath, SqliteOpenMode.ReadOnly);
        Assert.Equal(100.5, TempFolder.Scalar(connection, $"SELECT close FROM candles WHERE ts = {M(5)}"));
        Assert.Equal(999.0, TempFolder.Scalar(connection, $"SELECT close FROM candles WHERE ts = {M(10)}"));
    }

    [Fact]
    public async Task InsertMissingAsync_FormingCandle_IsNotStored()
    {
        var inserted = await Database.InsertMissingAsync(Btc, OneMinute, [At(0), At(1), At(2, confirmed: false)], Ct);

        Assert.Equal(2, inserted);
        Assert.Equal([M(0), M(1)], await Database.GetOpenTimesAsync(Btc, OneMinute, M(0), M(10), Ct));
    }

    [Fact]
    public async Task InsertMissingAsync_PricesAndVolumes_AreStoredAsReal()
    {
        await Database.InsertMissingAsync(Btc, OneMinute, [At(0)], Ct);

        using var connection = TempFolder.Connect(DatabasePath, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT typeof(open), typeof(vol_quote), typeof(ts), open, high, low, close, vol, vol_currency, vol_quote FROM candles";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("real", "real", "integer"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        Assert.Equal([100.0, 101.25, 99.5, 100.5, 12.0, 0.12, 1206.5], Enumerable.Range(3, 7).Select(reader.GetDouble));
    }

    [Fact]
    public async Task InsertMissingAsync_OpenTimeOffTheMinute_ThrowsAndStoresNothing()
    {
        Candle[] candles = [At(0), At(1) with { OpenTimeMs = M(1) + 1 }];

        await Assert.ThrowsAsync<ArgumentException>(() => Database.InsertMissingAsync(Btc, OneMinute, candles, Ct));

        Assert.Empty(await Database.GetOpenTimesAsync(Btc, OneMinute, M(0), M(10), Ct));
    }

    [Fact]
    public async Task InsertMissingAsync_SameMinuteOfAnotherSymbolOrBar_IsStoredApart()
    {
        await Database.InsertMissingAsync(Btc, OneMinute, Minutes(0, 3), Ct);

        var eth = await Database.InsertMissingAsync("ETH-USDT", OneMinute, Minutes(0, 3), Ct);
        var threeMinute = await Database.InsertMissingAsync(Btc, Bar.Parse("3m"), [At(0), At(3)], Ct);

        Assert.Equal((3, 2), (eth, threeMinute));
        Assert.Equal(3, (await Database.GetOpenTimesAsync(Btc, OneMinute, M(0), M(10), Ct)).Count);
    }

    [Fact]
    public async Task InsertMissingAsync_FullWeekOfMinutes_StoresEveryRow()
    {
        var week = Minutes(0, 10_081).ToList();

        var stopwatch = Stopwatch.StartNew();
        var inserted = await Database.InsertMissingAsync(Btc, OneMinute, week, Ct);
        var insertMs = stopwatch.Elapsed.TotalMilliseconds;
        stopwatch.Restart();
        var again = await Database.InsertMissingAsync(Btc, OneMinute, week, Ct);
        var againMs = stopwatch.Elapsed.TotalMilliseconds;

        Assert.Equal((10_081, 0), (inserted, again));
        // A figure for the report, not an assertion: timing checks belong in benchmarks.
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"10,081 rows: inserted in {insertMs:F1} ms ({10_081 / insertMs * 1000:F0} rows/s); all present again in {againMs:F1} ms");
    }

    [Fact]
    public async Task GetOpenTimesAsync_Range_ReturnsStoredBarsAscendingBothEndsIncluded()
    {
        await Database.InsertMissingAsync(Btc, OneMinute, [At(9), At(2), At(5), At(3)], Ct);

        var openTimes = await Database.GetOpenTimesAsync(Btc, OneMinute, M(3), M(9), Ct);

        Assert.Equal([M(3), M(5), M(9)], openTimes);
    }

    [Fact]
    public async Task GetMissingRangesAsync_StoredBarsAndSourceGaps_AreLeftOut()
    {
        var window = new CoverageWindow(M(0), M(19), OneMinute);
        await Database.InsertMissingAsync(Btc, OneMinute, [.. Minutes(0, 3), .. Minutes(10, 2)], Ct);
        await Database.AddSourceGapsAsync(Btc, OneMinute, [Gap(5, 6), Gap(15, 30)], Ct);

        var missing = await Database.GetMissingRangesAsync(Btc, OneMinute, window, Ct);

        Assert.Equal([R(3, 4), R(7, 9), R(12, 14)], missing);
    }

    [Fact]
    public async Task GetMissingRangesAsync_WindowOfAnotherBar_Throws()
    {
        var window = new CoverageWindow(M(0), M(60), Bar.OneHour);

        await Assert.ThrowsAsync<ArgumentException>(() => Database.GetMissingRangesAsync(Btc, OneMinute, window, Ct));
    }

    [Fact]
    public async Task AddSourceGapsAsync_SameGapTwice_IsStoredOnce()
    {
        var first = await Database.AddSourceGapsAsync(Btc, OneMinute, [Gap(5, 6), Gap(10, 12)], Ct);

        var second = await Database.AddSourceGapsAsync(Btc, OneMinute, [Gap(5, 6) with { DetectedAtMs = M(900) }], Ct);

        Assert.Equal((2, 0), (first, second));
        Assert.Equal(M(500), (await Database.GetSourceGapsAsync(Btc, OneMinute, M(0), M(100), Ct))[0].DetectedAtMs);
    }

    [Fact]
    public async Task GetSourceGapsAsync_OverlappingTheRange_ReturnsThemWithTheirEvidence()
    {
        var hole = Gap(5, 6);
        var beforeHistory = Gap(20, 29, SourceGapReason.BeforeHistory);
        await Database.AddSourceGapsAsync(Btc, OneMinute, [beforeHistory, hole, Gap(40, 41)], Ct);
        await Database.AddSourceGapsAsync("ETH-USDT", OneMinute, [Gap(7, 8)], Ct);

        var gaps = await Database.GetSourceGapsAsync(Btc, OneMinute, M(6), M(20), Ct);

        Assert.Equal([hole, beforeHistory], gaps);
    }

    [Fact]
    public async Task AddSourceGapsAsync_RangeOffTheMinute_ThrowsAndStoresNothing()
    {
        SourceGap[] gaps = [Gap(1, 2), Gap(5, 6) with { Range = new TimeRange(M(5), M(6) + 1) }];

        await Assert.ThrowsAsync<ArgumentException>(() => Database.AddSourceGapsAsync(Btc, OneMinute, gaps, Ct));

        Assert.Empty(await Database.GetSourceGapsAsync(Btc, OneMinute, M(0), M(100), Ct));
    }

    [Fact]
    public async Task GetCoverageAsync_PartlyFilled_ReportsPresentSourceGapsAndMissingApart()
    {
        var window = new CoverageWindow(M(0), M(99), OneMinute);
        await Database.InsertMissingAsync(Btc, OneMinute, [.. Minutes(0, 50), .. Minutes(60, 20)], Ct);
        await Database.AddSourceGapsAsync(Btc, OneMinute, [Gap(50, 54), Gap(90, 120, SourceGapReason.BeforeHistory)], Ct);

        var coverage = await Database.GetCoverageAsync(Btc, OneMinute, window, Ct);

        Assert.Equal(100, coverage.ExpectedCount);
        Assert.Equal(70, coverage.PresentCount);
        Assert.Equal(15, coverage.SourceGapCount); // 50-54 and 90-99
        Assert.Equal(15, coverage.MissingCount); // 55-59 and 80-89
        Assert.Equal(2, coverage.MissingRangeCount);
        Assert.Equal(R(80, 89), coverage.LargestMissingRange);
        Assert.Equal(70.0, coverage.PresentPercent, 9);
        Assert.Equal(85.0, coverage.SettledPercent, 9);
        Assert.Null(coverage.LastRun);
    }

    [Fact]
    public async Task GetCoverageAsync_BarStoredInsideASourceGap_CountsOnceAsPresent()
    {
        var window = new CoverageWindow(M(0), M(9), OneMinute);
        await Database.AddSourceGapsAsync(Btc, OneMinute, [Gap(3, 6), Gap(5, 7)], Ct);
        // Published late: the exchange served minute 5 after it had been recorded as a hole.
        await Database.InsertMissingAsync(Btc, OneMinute, [.. Minutes(0, 3), At(5), .. Minutes(8, 2)], Ct);

        var coverage = await Database.GetCoverageAsync(Btc, OneMinute, window, Ct);

        Assert.Equal((6L, 4L, 0L), (coverage.PresentCount, coverage.SourceGapCount, coverage.MissingCount));
        Assert.Null(coverage.LargestMissingRange);
        Assert.Equal(100.0, coverage.SettledPercent, 9);
    }

    [Fact]
    public async Task GetCoverageAsync_AfterARun_CarriesTheLastRun()
    {
        var window = new CoverageWindow(M(0), M(9), OneMinute);
        await Database.InsertMissingAsync(Btc, OneMinute, Minutes(0, 10), Ct);
        var id = await Database.RecordRunAsync(
            new GapFillRun
            {
                InstId = Btc, Bar = OneMinute, Trigger = "timer", WindowStartMs = M(0), WindowEndMs = M(9),
                Status = GapFillRunStatus.Succeeded, StartedAtMs = M(11), FinishedAtMs = M(11) + 900,
            },
            Ct);

        var coverage = await Database.GetCoverageAsync(Btc, OneMinute, window, Ct);

        Assert.Equal(100.0, coverage.PresentPercent, 9);
        Assert.Equal(0, coverage.MissingRangeCount);
        Assert.Equal(id, coverage.LastRun?.Id);
    }

    [Fact]
    public async Task GetSymbolsAsync_CandlesAndRunsOfTheBar_ListsEachSymbolOnceSorted()
    {
        await Database.InsertMissingAsync("SOL-USDT", OneMinute, Minutes(0, 3), Ct);
        await Database.InsertMissingAsync(Btc, OneMinute, Minutes(0, 3), Ct);
        await Database.InsertMissingAsync("ETH-USDT", Bar.OneHour, [At(0)], Ct);
        await Database.RecordRunAsync(
            new GapFillRun
            {
                InstId = "XRP-USDT", Bar = OneMinute, Trigger = "cli", WindowStartMs = M(0), WindowEndMs = M(9),
                Status = GapFillRunStatus.Failed, Error = "unknown instrument", StartedAtMs = M(11), FinishedAtMs = M(11),
            },
            Ct);

        var symbols = await Database.GetSymbolsAsync(OneMinute, Ct);

        Assert.Equal(["BTC-USDT", "SOL-USDT", "XRP-USDT"], symbols);
        Assert.Equal(["ETH-USDT"], await Database.GetSymbolsAsync(Bar.OneHour, Ct));
    }

    [Fact]
    public async Task DisposeAsync_ThenAnyCall_ThrowsObjectDisposed()
    {
        await Database.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Database.GetSymbolsAsync(OneMinute, Ct));
        await Database.DisposeAsync();
    }
}
