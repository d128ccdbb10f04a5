using Blofin.Backfill.Exchange;
using static Blofin.Backfill.Storage.TestCandles;

namespace Blofin.Backfill.Storage;

public sealed class CandleDatabaseReadCandlesTests : OpenedDatabaseTests
{
    private const string Btc = "BTC-USDT";

    [Fact]
    public async Task ReadCandlesAsync_Range_StreamsTheRowsInsideItOldestFirstWithTheirValues()
    {
        // Inserted newest first: the order comes from the query, not the insert.
        await Database.InsertMissingAsync(Btc, Bar.OneMinute, Minutes(0, 10).Reverse(), Ct);

        var rows = await ToListAsync(Database.ReadCandlesAsync(Btc, Bar.OneMinute, M(2), M(5), Ct));

        Assert.Equal([M(2), M(3), M(4), M(5)], rows.Select(r => r.OpenTimeMs));
        Assert.Equal(new StoredCandle(M(2), 100, 101.25, 99.5, 100.5, 12, 0.12, 1_206.5), rows[0]);
    }

    [Fact]
    public async Task ReadCandlesAsync_OtherSymbolsAndBars_AreNotIncluded()
    {
        await Database.InsertMissingAsync(Btc, Bar.OneMinute, Minutes(0, 3), Ct);
        await Database.InsertMissingAsync("ETH-USDT", Bar.OneMinute, Minutes(0, 3), Ct);
        await Database.InsertMissingAsync(Btc, Bar.OneHour, [At(0)], Ct);

        var rows = await ToListAsync(Database.ReadCandlesAsync(Btc, Bar.OneMinute, long.MinValue, long.MaxValue, Ct));

        Assert.Equal([M(0), M(1), M(2)], rows.Select(r => r.OpenTimeMs));
    }

    [Fact]
    public async Task ReadCandlesAsync_AfterTheEnumerationEnds_TheDatabaseServesOtherCalls()
    {
        await Database.InsertMissingAsync(Btc, Bar.OneMinute, Minutes(0, 5), Ct);
        await foreach (var row in Database.ReadCandlesAsync(Btc, Bar.OneMinute, M(0), M(4), Ct))
        {
            // Leaving early disposes the enumerator, which closes the cursor and releases the database.
            break;
        }

        var times = await Database.GetOpenTimesAsync(Btc, Bar.OneMinute, M(0), M(4), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(5, times.Count);
    }

    private static async Task<List<StoredCandle>> ToListAsync(IAsyncEnumerable<StoredCandle> rows)
    {
        var list = new List<StoredCandle>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }

        return list;
    }
}
