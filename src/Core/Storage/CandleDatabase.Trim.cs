using Blofin.Backfill.Exchange;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Storage;

// Bounded history: deleting what is older than the retention.
public sealed partial class CandleDatabase
{
    /// <summary>Deletes, for one symbol and bar, in one transaction, the candles opened before
    /// <paramref name="beforeMs"/>, the source gaps that end before it, the kept revisions of those candles and the
    /// runs that finished before it. The freed pages go to SQLite's freelist and are reused by later inserts, so the
    /// file stops growing; it does not shrink (that takes a VACUUM, which rewrites every page).</summary>
    public async Task<TrimmedRows> TrimBeforeAsync(string instId, Bar bar, long beforeMs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        RequireBar(bar);
        using var scope = await LockAsync(cancellationToken);
        ThrowIfReadOnly();
        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
        var candles = await DeleteAsync("""
            DELETE FROM candles WHERE inst_id = $inst_id AND bar = $bar AND ts < $before
            """);
        var gaps = await DeleteAsync("""
            DELETE FROM source_gaps WHERE inst_id = $inst_id AND bar = $bar AND end_ts < $before
            """);
        var revisions = await DeleteAsync("""
            DELETE FROM candle_revisions WHERE inst_id = $inst_id AND bar = $bar AND ts < $before
            """);
        var runs = await DeleteAsync("""
            DELETE FROM gap_fill_runs WHERE inst_id = $inst_id AND bar = $bar AND finished_at_ms < $before
            """);
        await transaction.CommitAsync(cancellationToken);
        return new TrimmedRows(candles, gaps, revisions, runs);

        async Task<long> DeleteAsync(string sql)
        {
            await using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.AddWithValue("$inst_id", instId);
            command.Parameters.AddWithValue("$bar", bar.Name);
            command.Parameters.AddWithValue("$before", beforeMs);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
