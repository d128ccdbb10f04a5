using Blofin.Backfill.Exchange;
using Microsoft.Data.Sqlite;
using static Blofin.Backfill.Storage.TestCandles;

namespace Blofin.Backfill.Storage;

public sealed class CandleDatabaseRevisionTests : OpenedDatabaseTests
{
    private const string Btc = "BTC-USDT";

    [Fact]
    public async Task MergeCandlesAsync_NewBars_InsertsThemWithoutRevisions()
    {
        var result = await Database.MergeCandlesAsync(Btc, Bar.OneMinute, Minutes(0, 10), M(100), Ct);

        Assert.Equal(10, result.Inserted);
        Assert.Empty(result.Revisions);
        Assert.Equal(10, (await Database.GetOpenTimesAsync(Btc, Bar.OneMinute, M(0), M(9), Ct)).Count);
    }

    [Fact]
    public async Task MergeCandlesAsync_SameValuesAgain_ChangesNothing()
    {
        await Database.MergeCandlesAsync(Btc, Bar.OneMinute, Minutes(0, 10), M(100), Ct);

        var result = await Database.MergeCandlesAsync(Btc, Bar.OneMinute, Minutes(0, 12), M(101), Ct);

        Assert.Equal(2, result.Inserted);
        Assert.Empty(result.Revisions);
        Assert.Empty(await Database.GetRevisionsAsync(Btc, Bar.OneMinute, M(0), M(20), Ct));
    }

    [Fact]
    public async Task MergeCandlesAsync_ConfirmedCandleDiffers_StoresTheExchangeValueAndKeepsTheOldRow()
    {
        await Database.MergeCandlesAsync(Btc, Bar.OneMinute, Minutes(0, 3), M(100), Ct);
        var revised = At(1) with { High = 101.5m, Volume = 13m };

        var result = await Database.MergeCandlesAsync(Btc, Bar.OneMinute, [At(0), revised, At(2)], M(200), Ct);

        var revision = Assert.Single(result.Revisions);
        Assert.Equal((M(1), M(200)), (revision.OpenTimeMs, revision.RevisedAtMs));
        Assert.Equal(["high", "vol"], revision.ChangedFields);
        Assert.Equal((101.25, 12.0), (revision.Replaced.High, revision.Replaced.Volume));
        Assert.Equal((101.5, 13.0), (revision.Replacement!.High, revision.Replacement.Volume));
        var stored = Assert.Single(await Database.GetCandlesAsync(Btc, Bar.OneMinute, M(1), M(1), Ct));
        Assert.Equal(StoredCandle.From(revised), stored);
        var kept = Assert.Single(await Database.GetRevisionsAsync(Btc, Bar.OneMinute, M(0), M(2), Ct));
        Assert.Equal(revision.Replaced, kept.Replaced);
        Assert.Equal(["high", "vol"], kept.ChangedFields);
        Assert.Equal(M(200), kept.RevisedAtMs);
        Assert.Equal(StoredCandle.From(revised), kept.Replacement);
    }

    [Fact]
    public async Task MergeCandlesAsync_RevisionMergedTwice_IsRecordedOnce()
    {
        await Database.MergeCandlesAsync(Btc, Bar.OneMinute, [At(0)], M(100), Ct);
        var revised = At(0, close: 100.75m);

        var first = await Database.MergeCandlesAsync(Btc, Bar.OneMinute, [revised], M(200), Ct);
        var again = await Database.MergeCandlesAsync(Btc, Bar.OneMinute, [revised], M(200), Ct);

        Assert.Single(first.Revisions);
        Assert.Empty(again.Revisions);
        Assert.Single(await Database.GetRevisionsAsync(Btc, Bar.OneMinute, M(0), M(0), Ct));
    }

    [Fact]
    public async Task MergeCandlesAsync_SecondRevisionLater_KeepsBothReplacedRows()
    {
        await Database.MergeCandlesAsync(Btc, Bar.OneMinute, [At(0)], M(100), Ct);

        await Database.MergeCandlesAsync(Btc, Bar.OneMinute, [At(0, close: 100.75m)], M(200), Ct);
        await Database.MergeCandlesAsync(Btc, Bar.OneMinute, [At(0, close: 101m)], M(300), Ct);

        var revisions = await Database.GetRevisionsAsync(Btc, Bar.OneMinute, M(0), M(0), Ct);
        Assert.Equal([100.5, 100.75], revisions.Select(r => r.Replaced.Close));
        Assert.All(revisions, r => Assert.Equal(101.0, r.Replacement!.Close));
    }

    [Fact]
    public async Task MergeCandlesAsync_FormingCandleDiffers_IsNeitherStoredNorCompared()
    {
        await Database.MergeCandlesAsync(Btc, Bar.OneMinute, [At(0)], M(100), Ct);

        var result = await Database.MergeCandlesAsync(Btc, Bar.OneMinute, [At(0, confirmed: false, close: 99.75m), At(1, confirmed: false)], M(200), Ct);

        Assert.Equal(0, result.Inserted);
        Assert.Empty(result.Revisions);
        Assert.Equal(100.5, Assert.Single(await Database.GetCandlesAsync(Btc, Bar.OneMinute, M(0), M(1), Ct)).Close);
    }

    [Fact]
    public async Task MergeCandlesAsync_DecimalsStoredAsDoubles_AreNotRevisionsOfThemselves()
    {
        var awkward = At(0) with { Open = 0.0000220m, High = 0.00002201m, Low = 0.00002199m, Close = 0.0000220m, VolumeQuote = 1_206.5123m };
        await Database.MergeCandlesAsync(Btc, Bar.OneMinute, [awkward], M(100), Ct);

        var result = await Database.MergeCandlesAsync(Btc, Bar.OneMinute, [awkward], M(200), Ct);

        Assert.Empty(result.Revisions);
    }

    [Fact]
    public async Task MergeCandlesAsync_OpenTimeOffTheMinute_ThrowsAndStoresNothing()
    {
        var bad = At(1) with { OpenTimeMs = M(1) + 1 };

        await Assert.ThrowsAsync<ArgumentException>(() => Database.MergeCandlesAsync(Btc, Bar.OneMinute, [At(0), bad], M(100), Ct));

        Assert.Empty(await Database.GetOpenTimesAsync(Btc, Bar.OneMinute, M(0), M(5), Ct));
    }

    [Fact]
    public async Task RecordRunAsync_Revised_RoundTrips()
    {
        var run = new GapFillRun
        {
            InstId = Btc, Bar = Bar.OneMinute, Trigger = "cli", WindowStartMs = M(0), WindowEndMs = M(9),
            Status = GapFillRunStatus.Succeeded, StartedAtMs = M(10), FinishedAtMs = M(11), Revised = 3,
        };

        await Database.RecordRunAsync(run, Ct);

        Assert.Equal(3, (await Database.GetLastRunAsync(Btc, Bar.OneMinute, Ct))!.Revised);
    }

    [Fact]
    public async Task CandleRevisions_TableColumns_AreTheOldRowWhenAndWhat()
    {
        await Database.DisposeAsync();
        using var connection = TempFolder.Connect(DatabasePath, SqliteOpenMode.ReadOnly);

        var columns = (string)TempFolder.Scalar(connection, "SELECT group_concat(name, ',') FROM pragma_table_info('candle_revisions')")!;

        Assert.Equal("inst_id,bar,ts,revised_at_ms,open,high,low,close,vol,vol_currency,vol_quote,changed", columns);
    }
}
