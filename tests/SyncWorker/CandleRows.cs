using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.SyncWorker;

/// <summary>Deterministic candle rows: every worker that writes (symbol, minute) writes the same values.</summary>
public static class CandleRows
{
    public const string Bar = "1m";
    public const long MinuteMs = 60_000;

    public const string Schema = """
        CREATE TABLE IF NOT EXISTS candles (
            inst_id TEXT NOT NULL,
            bar TEXT NOT NULL,
            ts INTEGER NOT NULL,
            open REAL NOT NULL,
            high REAL NOT NULL,
            low REAL NOT NULL,
            close REAL NOT NULL,
            vol REAL NOT NULL,
            vol_currency REAL NOT NULL,
            vol_quote REAL NOT NULL,
            PRIMARY KEY (inst_id, bar, ts)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS sync_runs (
            run_id TEXT NOT NULL PRIMARY KEY,
            worker TEXT NOT NULL,
            inst_id TEXT NOT NULL,
            rows INTEGER NOT NULL,
            inserted INTEGER NOT NULL
        );
        """;

    public static (double Open, double High, double Low, double Close, double Vol) Values(string instId, long ts)
    {
        var seed = 0;
        foreach (var c in instId)
        {
            seed = (seed * 31) + c;
        }

        var minute = ts / MinuteMs;
        var open = 100 + (seed % 1000) + ((minute % 997) * 0.01);
        var close = open + ((minute % 7) - 3) * 0.05;
        return (open, Math.Max(open, close) + 0.1, Math.Min(open, close) - 0.1, close, (minute % 113) + 1);
    }

    /// <summary>Inserts the rows of <paramref name="minutes"/> minutes from <paramref name="fromMs"/> that are
    /// missing, and records the run under <paramref name="runId"/> (replacing it when run again), the way a
    /// store would: a pooled connection in WAL mode, disposed before returning. Returns the rows inserted.</summary>
    public static async Task<int> InsertAsync(
        string path, string instId, long fromMs, int minutes, string runId, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(cancellationToken);
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode = WAL;" + Schema;
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        var inserted = 0;
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT OR IGNORE INTO candles (inst_id, bar, ts, open, high, low, close, vol, vol_currency, vol_quote)
                VALUES ($inst, $bar, $ts, $open, $high, $low, $close, $vol, $vol, $quote);
                """;
            var inst = insert.Parameters.Add("$inst", SqliteType.Text);
            var bar = insert.Parameters.Add("$bar", SqliteType.Text);
            var ts = insert.Parameters.Add("$ts", SqliteType.Integer);
            var open = insert.Parameters.Add("$open", SqliteType.Real);
            var high = insert.Parameters.Add("$high", SqliteType.Real);
            var low = insert.Parameters.Add("$low", SqliteType.Real);
            var close = insert.Parameters.Add("$close", SqliteType.Real);
            var vol = insert.Parameters.Add("$vol", SqliteType.Real);
            var quote = insert.Parameters.Add("$quote", SqliteType.Real);
            inst.Value = instId;
            bar.Value = Bar;
            for (var minute = 0; minute < minutes; minute++)
            {
                var at = fromMs + (minute * MinuteMs);
                var values = Values(instId, at);
                ts.Value = at;
                open.Value = values.Open;
                high.Value = values.High;
                low.Value = values.Low;
                close.Value = values.Close;
                vol.Value = values.Vol;
                quote.Value = values.Vol * values.Close;
                inserted += await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var run = connection.CreateCommand())
        {
            run.Transaction = transaction;
            run.CommandText = """
                INSERT OR REPLACE INTO sync_runs (run_id, worker, inst_id, rows, inserted)
                VALUES ($run, $worker, $inst, $rows, $inserted);
                """;
            run.Parameters.AddWithValue("$run", runId);
            run.Parameters.AddWithValue("$worker", runId);
            run.Parameters.AddWithValue("$inst", instId);
            run.Parameters.AddWithValue("$rows", minutes);
            run.Parameters.AddWithValue("$inserted", inserted);
            await run.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    public static string Describe(string instId, long fromMs, int minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"{instId} {fromMs} {minutes}");
}
