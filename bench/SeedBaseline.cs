using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Bench;

/// <summary>The seed's algorithm, as the old Python script ran it: one symbol after another, 300 rows per request,
/// every page walked from now back to the window start, 250 ms after each request and 500 ms after each symbol,
/// each page committed to a local SQLite file.</summary>
internal sealed class SeedBaseline(HttpClient http, TimeProvider clock, string databasePath)
{
    public const int PageRows = 300;
    public static readonly TimeSpan PauseAfterRequest = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan PauseAfterSymbol = TimeSpan.FromMilliseconds(500);

    private const long MinuteMs = 60_000;

    /// <summary>Fills every symbol; returns the requests sent and the rows inserted.</summary>
    public async Task<(int Requests, long Inserted)> RunAsync(IReadOnlyList<string> symbols, int lookbackHours, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS candles (
                    inst_id TEXT NOT NULL, ts INTEGER NOT NULL,
                    open REAL, high REAL, low REAL, close REAL, vol REAL, vol_currency REAL, vol_quote REAL,
                    PRIMARY KEY (inst_id, ts))
                """;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var requests = 0;
        long inserted = 0;
        foreach (var symbol in symbols)
        {
            var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var windowStartMs = (nowMs - (nowMs % MinuteMs)) - MinuteMs - (lookbackHours * 3_600_000L);
            long? after = null;
            while (true)
            {
                var url = string.Create(CultureInfo.InvariantCulture, $"/api/v1/market/candles?instId={symbol}&bar=1m&limit={PageRows}")
                    + (after is { } a ? string.Create(CultureInfo.InvariantCulture, $"&after={a}") : "");
                var body = await http.GetByteArrayAsync(new Uri(url, UriKind.Relative), cancellationToken);
                requests++;
                var rows = ParseRows(body);
                inserted += await InsertAsync(connection, symbol, rows, cancellationToken);
                await Task.Delay(PauseAfterRequest, cancellationToken);
                if (rows.Count == 0 || rows[^1].Ts <= windowStartMs)
                {
                    break;
                }

                after = rows[^1].Ts;
            }

            await Task.Delay(PauseAfterSymbol, cancellationToken);
        }

        return (requests, inserted);
    }

    private static List<Row> ParseRows(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.GetProperty("code").GetString() != "0")
        {
            throw new InvalidOperationException($"The exchange refused a baseline request: {root}");
        }

        var rows = new List<Row>();
        foreach (var item in root.GetProperty("data").EnumerateArray())
        {
            double Field(int i) => double.Parse(item[i].GetString()!, CultureInfo.InvariantCulture);
            rows.Add(new Row(
                long.Parse(item[0].GetString()!, CultureInfo.InvariantCulture),
                [Field(1), Field(2), Field(3), Field(4), Field(5), Field(6), Field(7)],
                item[8].GetString() == "1"));
        }

        return rows;
    }

    private static async Task<int> InsertAsync(SqliteConnection connection, string symbol, List<Row> rows, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR IGNORE INTO candles (inst_id, ts, open, high, low, close, vol, vol_currency, vol_quote)
            VALUES ($inst_id, $ts, $o, $h, $l, $c, $v, $vc, $vq)
            """;
        var inserted = 0;
        foreach (var row in rows.Where(r => r.Confirmed))
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$inst_id", symbol);
            command.Parameters.AddWithValue("$ts", row.Ts);
            string[] names = ["$o", "$h", "$l", "$c", "$v", "$vc", "$vq"];
            for (var i = 0; i < names.Length; i++)
            {
                command.Parameters.AddWithValue(names[i], row.Values[i]);
            }

            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    private sealed record Row(long Ts, double[] Values, bool Confirmed);
}
