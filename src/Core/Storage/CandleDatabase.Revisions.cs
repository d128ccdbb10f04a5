using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Storage;

// Merging candles that may revise stored ones, and reading stored candles whole.
public sealed partial class CandleDatabase
{
    /// <summary>Stores the confirmed candles in one transaction: a bar not stored yet is inserted; a stored bar
    /// whose values differ from the exchange's is a revision: the exchange's value is stored and the row it
    /// replaces is kept in <c>candle_revisions</c>, stamped <paramref name="revisedAtMs"/>. Values are compared
    /// as the REAL columns hold them (the double of each decimal). Forming candles are skipped; a bar given
    /// twice is taken once (the first).</summary>
    /// <exception cref="ArgumentException">A candle's open time is not on a bar boundary; nothing is stored.</exception>
    public async Task<CandleMergeResult> MergeCandlesAsync(
        string instId,
        Bar bar,
        IEnumerable<Candle> candles,
        long revisedAtMs,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        ArgumentNullException.ThrowIfNull(candles);
        var lengthMs = RequireBar(bar);
        var confirmed = new SortedDictionary<long, Candle>();
        var skipped = 0;
        foreach (var candle in candles)
        {
            ArgumentNullException.ThrowIfNull(candle, nameof(candles));
            if (!candle.IsConfirmed)
            {
                skipped++;
                continue;
            }

            if (!BarMath.IsAligned(candle.OpenTimeMs, lengthMs))
            {
                throw new ArgumentException(
                    $"Candle {candle.OpenTimeMs} of {instId} is not on a {bar.Name} bar boundary; nothing was stored.", nameof(candles));
            }

            confirmed.TryAdd(candle.OpenTimeMs, candle);
        }

        using var scope = await LockAsync(cancellationToken);
        ThrowIfReadOnly();
        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
        await using var insert = CandleCommand(transaction, """
            INSERT INTO candles (inst_id, bar, ts, open, high, low, close, vol, vol_currency, vol_quote)
            VALUES ($inst_id, $bar, $ts, $open, $high, $low, $close, $vol, $vol_currency, $vol_quote)
            ON CONFLICT (inst_id, bar, ts) DO NOTHING
            """, instId, bar);
        await using var select = CandleCommand(transaction, """
            SELECT open, high, low, close, vol, vol_currency, vol_quote FROM candles
            WHERE inst_id = $inst_id AND bar = $bar AND ts = $ts
            """, instId, bar);
        await using var keep = CandleCommand(transaction, """
            INSERT INTO candle_revisions (inst_id, bar, ts, revised_at_ms, open, high, low, close, vol, vol_currency, vol_quote, changed)
            VALUES ($inst_id, $bar, $ts, $revised_at_ms, $open, $high, $low, $close, $vol, $vol_currency, $vol_quote, $changed)
            ON CONFLICT (inst_id, bar, ts, revised_at_ms) DO NOTHING
            """, instId, bar);
        keep.Parameters.Add("$revised_at_ms", SqliteType.Integer).Value = revisedAtMs;
        var changedText = keep.Parameters.Add("$changed", SqliteType.Text);
        await using var update = CandleCommand(transaction, """
            UPDATE candles SET open = $open, high = $high, low = $low, close = $close,
                               vol = $vol, vol_currency = $vol_currency, vol_quote = $vol_quote
            WHERE inst_id = $inst_id AND bar = $bar AND ts = $ts
            """, instId, bar);

        var inserted = 0;
        var revisions = new List<CandleRevision>();
        foreach (var candle in confirmed.Values)
        {
            var fresh = StoredCandle.From(candle);
            Bind(insert, fresh);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                inserted++;
                continue;
            }

            select.Parameters["$ts"].Value = candle.OpenTimeMs;
            StoredCandle stored;
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                stored = new StoredCandle(
                    candle.OpenTimeMs, reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3),
                    reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6));
            }

            var changed = stored.ChangedFields(fresh);
            if (changed.Count == 0)
            {
                continue;
            }

            Bind(keep, stored);
            changedText.Value = string.Join(',', changed);
            await keep.ExecuteNonQueryAsync(cancellationToken);
            Bind(update, fresh);
            await update.ExecuteNonQueryAsync(cancellationToken);
            revisions.Add(new CandleRevision(instId, bar, candle.OpenTimeMs, revisedAtMs, stored, fresh, changed));
        }

        await transaction.CommitAsync(cancellationToken);
        Log.CandlesMerged(_logger, inserted, revisions.Count, confirmed.Count, instId, bar.Name, skipped);
        return new CandleMergeResult(inserted, revisions);
    }

    /// <summary>The stored bars from <paramref name="fromMs"/> to <paramref name="toMs"/> (both included), ascending.</summary>
    public async Task<IReadOnlyList<StoredCandle>> GetCandlesAsync(string instId, Bar bar, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        RequireBar(bar);
        var candles = new List<StoredCandle>();
        await foreach (var candle in ReadCandlesAsync(instId, bar, fromMs, toMs, cancellationToken))
        {
            candles.Add(candle);
        }

        return candles;
    }

    /// <summary>The revisions of bars from <paramref name="fromMs"/> to <paramref name="toMs"/>, by bar then by
    /// when they were seen; <see cref="CandleRevision.Replacement"/> is the value stored now.</summary>
    public async Task<IReadOnlyList<CandleRevision>> GetRevisionsAsync(string instId, Bar bar, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        RequireBar(bar);
        using var scope = await LockAsync(cancellationToken);
        await using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT r.ts, r.open, r.high, r.low, r.close, r.vol, r.vol_currency, r.vol_quote, r.revised_at_ms, r.changed,
                   c.ts, c.open, c.high, c.low, c.close, c.vol, c.vol_currency, c.vol_quote
            FROM candle_revisions AS r
            LEFT JOIN candles AS c ON c.inst_id = r.inst_id AND c.bar = r.bar AND c.ts = r.ts
            WHERE r.inst_id = $inst_id AND r.bar = $bar AND r.ts BETWEEN $from AND $to
            ORDER BY r.ts, r.revised_at_ms
            """;
        command.Parameters.AddWithValue("$inst_id", instId);
        command.Parameters.AddWithValue("$bar", bar.Name);
        command.Parameters.AddWithValue("$from", fromMs);
        command.Parameters.AddWithValue("$to", toMs);
        var revisions = new List<CandleRevision>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            revisions.Add(new CandleRevision(
                instId,
                bar,
                reader.GetInt64(0),
                reader.GetInt64(8),
                ReadStoredCandle(reader, 0),
                reader.IsDBNull(10) ? null : ReadStoredCandle(reader, 10),
                reader.GetString(9).Split(',')));
        }

        return revisions;
    }

    private static StoredCandle ReadStoredCandle(SqliteDataReader reader, int first) => new(
        reader.GetInt64(first),
        reader.GetDouble(first + 1),
        reader.GetDouble(first + 2),
        reader.GetDouble(first + 3),
        reader.GetDouble(first + 4),
        reader.GetDouble(first + 5),
        reader.GetDouble(first + 6),
        reader.GetDouble(first + 7));

    // A command over one symbol's candles: $inst_id and $bar bound, $ts and the value parameters that the SQL
    // names added (bound per row by Bind).
    private SqliteCommand CandleCommand(SqliteTransaction transaction, string sql, string instId, Bar bar)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.Add("$inst_id", SqliteType.Text).Value = instId;
        command.Parameters.Add("$bar", SqliteType.Text).Value = bar.Name;
        command.Parameters.Add("$ts", SqliteType.Integer);
        if (sql.Contains("$open", StringComparison.Ordinal))
        {
            foreach (var name in StoredCandle.FieldNames)
            {
                command.Parameters.Add("$" + name, SqliteType.Real);
            }
        }

        return command;
    }

    private static void Bind(SqliteCommand command, StoredCandle candle)
    {
        var p = command.Parameters;
        p["$ts"].Value = candle.OpenTimeMs;
        p["$open"].Value = candle.Open;
        p["$high"].Value = candle.High;
        p["$low"].Value = candle.Low;
        p["$close"].Value = candle.Close;
        p["$vol"].Value = candle.Volume;
        p["$vol_currency"].Value = candle.VolumeCurrency;
        p["$vol_quote"].Value = candle.VolumeQuote;
    }
}
