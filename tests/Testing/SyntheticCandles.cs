using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Testing;

/// <summary>Candle history made by SQLite itself, fast (about 300,000 rows a second), straight into the
/// <c>candles</c> table of a database whose schema already exists (open it once with <c>CandleDatabase.OpenAsync</c>).
/// For tests and the benchmark that need weeks of history without an exchange; the rows are the size real ones are.</summary>
public static class SyntheticCandles
{
    /// <summary>Inserts <paramref name="minutes"/> one-minute rows of every symbol from <paramref name="fromMs"/> in
    /// one transaction (rows already stored are kept); the connection is closed on return.</summary>
    public static async Task InsertAsync(
        string path, IEnumerable<string> symbols, long fromMs, int minutes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        await using var connection = await OpenForBulkAsync(path, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var symbol in symbols)
        {
            await InsertAsync(connection, transaction, symbol, fromMs, minutes, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Opens <paramref name="path"/> for one large transaction: no pooling, a page cache large enough that
    /// the transaction stays in memory (a small one would spill pages to the WAL again and again).</summary>
    public static async Task<SqliteConnection> OpenForBulkAsync(string path, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var cache = connection.CreateCommand();
            cache.CommandText = "PRAGMA cache_size = -262144; PRAGMA synchronous = NORMAL;";
            await cache.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Inserts <paramref name="minutes"/> one-minute rows of <paramref name="symbol"/> from
    /// <paramref name="fromMs"/> in <paramref name="transaction"/>; rows already stored are kept.</summary>
    public static async Task InsertAsync(
        SqliteConnection connection, SqliteTransaction transaction, string symbol, long fromMs, int minutes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        // SQLite makes the rows itself (a recursive count of minutes). Prices wander around a level per symbol with
        // fractions and volumes have decimals, as real rows do, so every value is an 8-byte REAL and a row is the
        // size a real one is.
        insert.CommandText = """
            WITH RECURSIVE minute(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM minute WHERE i < $minutes - 1),
            walk(m, ts, price, vol) AS (
                SELECT ($from_ms / 60000) + i, $from_ms + (i * 60000),
                       $level * (1 + (((($from_ms / 60000) + i) * 7919 % 2003) - 1001) / 20000.0),
                       ((($from_ms / 60000) + i) * 104729 % 500000) / 100.0 + 0.01
                FROM minute)
            INSERT INTO candles (inst_id, bar, ts, open, high, low, close, vol, vol_currency, vol_quote)
            SELECT $inst_id, '1m', ts,
                   round(price, 4) + 0.00001, round(price * 1.0007, 4) + 0.00001, round(price * 0.9993, 4) + 0.00001,
                   round(price * (1 + ((m % 13) - 6) / 10000.0), 4) + 0.00001, vol, round(vol / 7, 3) + 0.0001, round(vol * price, 2) + 0.001
            FROM walk
            WHERE true
            ON CONFLICT (inst_id, bar, ts) DO NOTHING
            """;
        insert.Parameters.AddWithValue("$inst_id", symbol);
        insert.Parameters.AddWithValue("$level", 0.5 + (symbol[0] * 131 % 997) + symbol.Length);
        insert.Parameters.AddWithValue("$from_ms", fromMs);
        insert.Parameters.AddWithValue("$minutes", minutes);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
