using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Blofin.Backfill.Testing;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Sync;

/// <summary>Candle history in the real schema (<see cref="CandleDatabase"/>), built fast: one transaction, no
/// exchange.</summary>
internal static class CandleHistory
{
    public const long MinuteMs = 60_000;

    /// <summary>A Monday, 00:00 UTC (2024-01-01).</summary>
    public const long StartMs = 1_704_067_200_000;

    public const int MinutesPerWeek = 7 * 24 * 60;

    public static IReadOnlyList<string> Symbols(int count) =>
        [.. new[] { "BTC", "ETH", "SOL", "XRP", "DOGE", "ADA", "AVAX", "LINK", "DOT", "TRX", "LTC", "BCH", "NEAR", "UNI", "APT", "ARB",
            "OP", "ATOM", "FIL", "ETC", "INJ", "SUI", "SEI", "TIA", "WIF", "PEPE", "SHIB", "TON", "ORDI", "STX", "RUNE", "AAVE" }
            .Take(count)
            .Select(c => $"{c}-USDT")];

    /// <summary>Opens <paramref name="path"/> (creating the schema) and bulk-inserts <paramref name="minutes"/> minutes
    /// of every symbol from <paramref name="fromMs"/> in one transaction, as a first backfill of a window does; the
    /// connection is closed on return.</summary>
    public static async Task<int> InsertAsync(
        string path, IEnumerable<string> symbols, long fromMs, int minutes, CancellationToken cancellationToken)
    {
        await CreateSchemaAsync(path, cancellationToken);
        await SyntheticCandles.InsertAsync(path, symbols, fromMs, minutes, cancellationToken);
        return minutes;
    }

    /// <summary>Grows the history the way the timer does: <paramref name="ticks"/> ticks from <paramref name="fromMs"/>,
    /// each one transaction adding <paramref name="tickMinutes"/> minutes and one run row per symbol.</summary>
    public static async Task GrowAsync(
        string path, IReadOnlyList<string> symbols, long fromMs, int ticks, int tickMinutes, CancellationToken cancellationToken)
    {
        await CreateSchemaAsync(path, cancellationToken);
        await using var connection = await SyntheticCandles.OpenForBulkAsync(path, cancellationToken);
        await using var run = connection.CreateCommand();
        run.CommandText = """
            INSERT INTO gap_fill_runs (
                inst_id, bar, trigger, window_start_ts, window_end_ts, expected, present_before, present_after,
                requests, inserted, source_gaps_found, status, error, started_at_ms, finished_at_ms)
            VALUES ($inst_id, '1m', 'timer', $end_ts - 604800000, $end_ts, 10081, 10081 - $minutes, 10081,
                1, $minutes, 0, 'succeeded', NULL, $end_ts + 60000, $end_ts + 60850)
            """;
        var instId = run.Parameters.Add("$inst_id", SqliteType.Text);
        var endTs = run.Parameters.Add("$end_ts", SqliteType.Integer);
        run.Parameters.AddWithValue("$minutes", tickMinutes);
        for (var tick = 0; tick < ticks; tick++)
        {
            var tickFromMs = fromMs + (tick * tickMinutes * MinuteMs);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            run.Transaction = transaction;
            foreach (var symbol in symbols)
            {
                await SyntheticCandles.InsertAsync(connection, transaction, symbol, tickFromMs, tickMinutes, cancellationToken);
                instId.Value = symbol;
                endTs.Value = tickFromMs + ((tickMinutes - 1) * MinuteMs);
                await run.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>A tick as the backfiller writes it: for each symbol its new minutes and one run row.</summary>
    public static async Task<int> TickAsync(
        string path, IEnumerable<string> symbols, long fromMs, int minutes, CancellationToken cancellationToken)
    {
        await using var database = await CandleDatabase.OpenAsync(path, cancellationToken);
        var inserted = 0;
        foreach (var symbol in symbols)
        {
            var rows = await database.InsertMissingAsync(symbol, Bar.OneMinute, Candles(symbol, fromMs, minutes), cancellationToken);
            inserted += rows;
            await database.RecordRunAsync(
                new GapFillRun
                {
                    InstId = symbol,
                    Bar = Bar.OneMinute,
                    Trigger = "timer",
                    WindowStartMs = fromMs - (168 * 60 * MinuteMs),
                    WindowEndMs = fromMs + ((minutes - 1) * MinuteMs),
                    ExpectedCount = 168 * 60,
                    PresentBefore = (168 * 60) - minutes,
                    PresentAfter = 168 * 60,
                    Requests = 1,
                    Inserted = rows,
                    Status = GapFillRunStatus.Succeeded,
                    StartedAtMs = fromMs + (minutes * MinuteMs),
                    FinishedAtMs = fromMs + (minutes * MinuteMs) + 850,
                },
                cancellationToken);
        }

        return inserted;
    }

    /// <summary>Candles as the exchange would return them (a random walk with fractions), for the merge path.</summary>
    public static IEnumerable<Candle> Candles(string symbol, long fromMs, int minutes)
    {
        // Seeded by the symbol and the start: the same call writes the same rows.
        var random = new Random(HashCode.Combine(symbol.Length, symbol[0], symbol[^6], fromMs));
        var price = 10m + (symbol[0] * 37 % 900);
        for (var m = 0; m < minutes; m++)
        {
            var open = price;
            var close = Math.Round(open * (1 + ((decimal)random.NextDouble() - 0.5m) / 500), 4);
            var high = Math.Max(open, close) + Math.Round((decimal)random.NextDouble() * open / 1000, 4);
            var low = Math.Min(open, close) - Math.Round((decimal)random.NextDouble() * open / 1000, 4);
            var volume = Math.Round((decimal)random.NextDouble() * 5000, 2);
            yield return new Candle(
                fromMs + (m * MinuteMs), open, high, low, close, volume, Math.Round(volume / 10, 3), Math.Round(volume * close, 2), IsConfirmed: true);
            price = close;
        }
    }

    private static async Task CreateSchemaAsync(string path, CancellationToken cancellationToken)
    {
        await using (await CandleDatabase.OpenAsync(path, cancellationToken))
        {
            // Creates or migrates the schema; the rows go in through a connection of their own, without a merge's checks.
        }
    }
}
