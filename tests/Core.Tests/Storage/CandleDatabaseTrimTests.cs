using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using static Blofin.Backfill.Storage.TestCandles;

namespace Blofin.Backfill.Storage;

public sealed class CandleDatabaseTrimTests : OpenedDatabaseTests
{
    private const string Btc = "BTC-USDT";
    private const string Eth = "ETH-USDT";

    [Fact]
    public async Task TrimBeforeAsync_OlderRowsOfTheSymbol_DeletesThemAndKeepsTheRestAndOtherSymbols()
    {
        foreach (var symbol in new[] { Btc, Eth })
        {
            await Database.InsertMissingAsync(symbol, Bar.OneMinute, Minutes(0, 200), Ct);
            await Database.AddSourceGapsAsync(symbol, Bar.OneMinute, [Gap(10, 19), Gap(95, 104), Gap(150, 159)], Ct);
            await Database.RecordRunAsync(Run(symbol, finishedMinute: 50), Ct);
            await Database.RecordRunAsync(Run(symbol, finishedMinute: 150), Ct);
        }

        await Database.MergeCandlesAsync(Btc, Bar.OneMinute, [At(20, close: 200m), At(120, close: 200m)], M(300), Ct);

        var trimmed = await Database.TrimBeforeAsync(Btc, Bar.OneMinute, M(100), Ct);

        Assert.Equal(new TrimmedRows(Candles: 100, SourceGaps: 1, Revisions: 1, Runs: 1), trimmed);
        Assert.Equal(Enumerable.Range(100, 100).Select(M), await Database.GetOpenTimesAsync(Btc, Bar.OneMinute, M(0), M(199), Ct));
        Assert.Equal([R(95, 104), R(150, 159)], (await Database.GetSourceGapsAsync(Btc, Bar.OneMinute, M(0), M(199), Ct)).Select(g => g.Range));
        Assert.Equal([M(120)], (await Database.GetRevisionsAsync(Btc, Bar.OneMinute, M(0), M(199), Ct)).Select(r => r.OpenTimeMs));
        Assert.Equal([M(150)], (await Database.GetRunsAsync(Btc, Bar.OneMinute, null, 10, Ct)).Select(r => r.FinishedAtMs));
        Assert.Equal(200, (await Database.GetOpenTimesAsync(Eth, Bar.OneMinute, M(0), M(199), Ct)).Count);
        Assert.Equal(3, (await Database.GetSourceGapsAsync(Eth, Bar.OneMinute, M(0), M(199), Ct)).Count);
        Assert.Equal(2, (await Database.GetRunsAsync(Eth, Bar.OneMinute, null, 10, Ct)).Count);
    }

    [Fact]
    public async Task TrimBeforeAsync_RollingWindowOfDays_FileStopsGrowing()
    {
        const int Day = 1440;
        string[] symbols = ["BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT"];
        await AddDayAsync(0);
        await AddDayAsync(1);
        await Database.CheckpointAsync(Ct);
        var twoDays = new FileInfo(Database.FilePath).Length;

        // Each further day comes in while the oldest goes: the file reuses the freed pages.
        for (var day = 2; day < 6; day++)
        {
            foreach (var symbol in symbols)
            {
                await Database.TrimBeforeAsync(symbol, Bar.OneMinute, M((day - 1) * Day), Ct);
            }

            await AddDayAsync(day);
        }

        await Database.CheckpointAsync(Ct);
        Assert.InRange(new FileInfo(Database.FilePath).Length, twoDays / 2, twoDays * 11 / 10);
        Assert.Equal(2 * Day, (await Database.GetOpenTimesAsync(Btc, Bar.OneMinute, M(0), M(6 * Day), Ct)).Count);

        async Task AddDayAsync(int day)
        {
            foreach (var symbol in symbols)
            {
                await Database.InsertMissingAsync(symbol, Bar.OneMinute, Minutes(day * Day, Day), Ct);
            }
        }
    }

    private static TimeRange R(int fromMinute, int toMinute) => new(M(fromMinute), M(toMinute));

    private static SourceGap Gap(int fromMinute, int toMinute) =>
        new(R(fromMinute, toMinute), SourceGapReason.Hole, M(500), M(toMinute + 2), 1440, M(toMinute + 1), M(fromMinute - 1));

    private static GapFillRun Run(string instId, int finishedMinute) => new()
    {
        InstId = instId,
        Bar = Bar.OneMinute,
        Trigger = "timer",
        WindowStartMs = M(0),
        WindowEndMs = M(199),
        Status = GapFillRunStatus.Succeeded,
        StartedAtMs = M(finishedMinute - 1),
        FinishedAtMs = M(finishedMinute),
    };
}
