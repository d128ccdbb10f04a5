using Azure.Storage.Blobs;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Soak;

/// <summary>The database blob as the soak left it, downloaded and opened read-only with plain SQL (no project code
/// reads it, so a defect there cannot hide one in the data).</summary>
internal sealed class SoakDatabase : IAsyncDisposable
{
    private readonly SqliteConnection _connection;

    private SoakDatabase(SqliteConnection connection, long bytes)
    {
        _connection = connection;
        Bytes = bytes;
    }

    public long Bytes { get; }

    public static async Task<SoakDatabase> DownloadAsync(BlobClient blob, string path, CancellationToken cancellationToken)
    {
        await blob.DownloadToAsync(path, cancellationToken);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        return new SoakDatabase(connection, new FileInfo(path).Length);
    }

    /// <summary><c>PRAGMA integrity_check</c>'s lines joined ("ok" when sound).</summary>
    public async Task<string> IntegrityCheckAsync(CancellationToken cancellationToken) =>
        string.Join("; ", await ReadAsync("PRAGMA integrity_check;", r => r.GetString(0), cancellationToken));

    /// <summary>Every stored 1-minute candle of the symbol by open time: open, high, low, close, vol, vol_currency, vol_quote.</summary>
    public async Task<Dictionary<long, double[]>> CandlesAsync(string instId, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(
            """
            SELECT ts, open, high, low, close, vol, vol_currency, vol_quote
            FROM candles WHERE inst_id = $inst AND bar = '1m'
            """,
            r => (Ts: r.GetInt64(0), Values: Enumerable.Range(1, 7).Select(r.GetDouble).ToArray()),
            cancellationToken,
            ("$inst", instId));
        return rows.ToDictionary(r => r.Ts, r => r.Values);
    }

    /// <summary>Keys stored more than once (the primary key forbids it; this guards against a schema that drops it).</summary>
    public async Task<long> DuplicateKeysAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(
            """
            SELECT COUNT(*) FROM (SELECT inst_id, bar, ts FROM candles GROUP BY inst_id, bar, ts HAVING COUNT(*) > 1)
            """,
            r => r.GetInt64(0),
            cancellationToken)).Single();

    /// <summary>Run counts by symbol and status (<c>succeeded</c>, <c>partial</c>, <c>failed</c>).</summary>
    public async Task<Dictionary<(string InstId, string Status), int>> RunCountsAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(
            "SELECT inst_id, status, COUNT(*) FROM gap_fill_runs GROUP BY inst_id, status",
            r => (Key: (r.GetString(0), r.GetString(1)), Count: r.GetInt32(2)),
            cancellationToken))
        .ToDictionary(r => r.Key, r => r.Count);

    /// <summary>Symbols that have candles, runs or gaps recorded.</summary>
    public async Task<IReadOnlyList<string>> SymbolsAsync(CancellationToken cancellationToken) =>
        await ReadAsync(
            "SELECT inst_id FROM candles UNION SELECT inst_id FROM gap_fill_runs UNION SELECT inst_id FROM source_gaps",
            r => r.GetString(0),
            cancellationToken);

    /// <summary>Minutes recorded as absent at the exchange (the simulator has no holes, so there must be none).</summary>
    public async Task<long> SourceGapRowsAsync(CancellationToken cancellationToken) =>
        (await ReadAsync("SELECT COUNT(*) FROM source_gaps", r => r.GetInt64(0), cancellationToken)).Single();

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private async Task<List<T>> ReadAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
