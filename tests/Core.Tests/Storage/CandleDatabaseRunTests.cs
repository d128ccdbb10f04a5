using Blofin.Backfill.Exchange;
using static Blofin.Backfill.Storage.TestCandles;

namespace Blofin.Backfill.Storage;

public sealed class CandleDatabaseRunTests : OpenedDatabaseTests
{
    private static GapFillRun Run(string instId, Bar bar, long startedAtMs, GapFillRunStatus status = GapFillRunStatus.Succeeded) => new()
    {
        InstId = instId,
        Bar = bar,
        Trigger = "timer",
        WindowStartMs = M(0),
        WindowEndMs = M(10_080),
        Status = status,
        StartedAtMs = startedAtMs,
        FinishedAtMs = startedAtMs + 1_000,
    };

    [Fact]
    public async Task RecordRunAsync_ThenGetLastRunAsync_ReadsEveryFieldBack()
    {
        var run = new GapFillRun
        {
            InstId = "BTC-USDT",
            Bar = Bar.OneMinute,
            Trigger = "manual",
            WindowStartMs = M(0),
            WindowEndMs = M(10_080),
            ExpectedCount = 10_081,
            PresentBefore = 2_023,
            PresentAfter = 10_079,
            Requests = 8,
            Inserted = 8_056,
            SourceGapsFound = 1,
            Status = GapFillRunStatus.Partial,
            Error = "page after=1736125200000 failed: HTTP 503",
            StartedAtMs = M(10_082),
            FinishedAtMs = M(10_082) + 4_321,
            BytesDownloaded = 1_048_576,
            BytesUploaded = 524_288,
            BlocksStaged = 3,
            BlocksReused = 97,
            FileBytes = 104_857_600,
        };

        var id = await Database.RecordRunAsync(run, Ct);
        var last = await Database.GetLastRunAsync("BTC-USDT", Bar.OneMinute, Ct);

        Assert.True(id > 0);
        Assert.Equal(run with { Id = id }, last);
    }

    [Fact]
    public async Task RecordRunAsync_SyncFiguresLeftOut_ReadBackAsNull()
    {
        await Database.RecordRunAsync(Run("BTC-USDT", Bar.OneMinute, M(1)), Ct);

        var last = await Database.GetLastRunAsync("BTC-USDT", Bar.OneMinute, Ct);

        Assert.NotNull(last);
        Assert.Equal((null, null, null, null, null, null), (last.Error, last.BytesDownloaded, last.BytesUploaded, last.BlocksStaged, last.BlocksReused, last.FileBytes));
    }

    [Fact]
    public async Task GetLastRunAsync_NoRunOfThatSymbol_ReturnsNull()
    {
        await Database.RecordRunAsync(Run("ETH-USDT", Bar.OneMinute, M(1)), Ct);

        Assert.Null(await Database.GetLastRunAsync("BTC-USDT", Bar.OneMinute, Ct));
    }

    [Fact]
    public async Task GetLastRunAsync_SeveralRuns_ReturnsTheLatestStarted()
    {
        await Database.RecordRunAsync(Run("BTC-USDT", Bar.OneMinute, M(30)), Ct);
        var latest = await Database.RecordRunAsync(Run("BTC-USDT", Bar.OneMinute, M(60), GapFillRunStatus.Failed), Ct);
        await Database.RecordRunAsync(Run("BTC-USDT", Bar.OneMinute, M(45)), Ct); // recorded late
        await Database.RecordRunAsync(Run("BTC-USDT", Bar.OneHour, M(90)), Ct);

        var last = await Database.GetLastRunAsync("BTC-USDT", Bar.OneMinute, Ct);

        Assert.Equal((latest, GapFillRunStatus.Failed), (last?.Id, last?.Status));
    }

    [Fact]
    public async Task GetRunsAsync_Filters_ReturnsMatchingRunsNewestFirstUpToTheLimit()
    {
        foreach (var minute in new[] { 10, 20, 30, 40 })
        {
            await Database.RecordRunAsync(Run("BTC-USDT", Bar.OneMinute, M(minute)), Ct);
            await Database.RecordRunAsync(Run("ETH-USDT", Bar.OneMinute, M(minute) + 1), Ct);
        }

        await Database.RecordRunAsync(Run("BTC-USDT", Bar.OneHour, M(50)), Ct);

        var btcSince20 = await Database.GetRunsAsync("BTC-USDT", Bar.OneMinute, M(20), 100, Ct);
        var newestTwo = await Database.GetRunsAsync(null, null, null, 2, Ct);
        var allMinute = await Database.GetRunsAsync(null, Bar.OneMinute, null, 100, Ct);

        Assert.Equal([M(40), M(30), M(20)], btcSince20.Select(r => r.StartedAtMs));
        Assert.Equal([(Bar.OneHour, M(50)), (Bar.OneMinute, M(40) + 1)], newestTwo.Select(r => (r.Bar, r.StartedAtMs)));
        Assert.Equal(8, allMinute.Count);
    }

    [Fact]
    public async Task RecordRunAsync_EmptyTrigger_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Database.RecordRunAsync(Run("BTC-USDT", Bar.OneMinute, M(1)) with { Trigger = " " }, Ct));
    }
}
