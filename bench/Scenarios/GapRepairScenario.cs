using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Bench.Scenarios;

/// <summary>Scattered gaps cut out of a complete database (a merge that deletes them), then one tick: its requests
/// against the fewest pages that cover what is missing, counted independently of the planner.</summary>
internal static class GapRepairScenario
{
    private const int PageSize = CandleQuery.MaxLimit;
    private const long MinuteMs = 60_000;
    private const int LongestGapMinutes = 5;

    public static async Task<ScenarioResult> RunAsync(BenchExchange exchange, BenchSettings settings, CancellationToken cancellationToken)
    {
        var symbols = exchange.Target.Symbols;
        var (deleted, present, sourceGaps) = await CutGapsAsync(exchange, settings, cancellationToken);

        // Planners read their cached copy and trust it, since rows are never deleted: a stale copy can only make
        // them over-fetch. Cutting gaps breaks that rule, so every instance takes the new version first (not timed).
        for (var i = 0; i < settings.Instances; i++)
        {
            await exchange.RefreshCacheAsync(i, cancellationToken);
        }

        var tick = await exchange.RunTickAsync(settings.Instances, settings.DrainersPerInstance, cancellationToken);
        var result = tick.ToResult(ScenarioNames.GapRepair, symbols.Count, settings.Instances, settings.DrainersPerInstance);
        result.GapsPerSymbol = settings.GapsPerSymbol;
        result.RowsDeleted = deleted;

        // What each symbol's plan had to cover: its window (the run's own) less what was stored or proven absent.
        var optimal = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var run in tick.Results)
        {
            var window = run.Window;
            var stored = present[run.InstId];
            var absent = sourceGaps[run.InstId];
            var missing = new List<long>();
            for (var ms = window.StartMs; ms <= window.EndMs; ms += MinuteMs)
            {
                if (!stored.Contains(ms) && !absent.Any(g => g.Contains(ms)))
                {
                    missing.Add(ms);
                }
            }

            optimal[run.InstId] = OptimalPages.Count(missing, PageSize, MinuteMs);
        }

        result.OptimalRequests = optimal.Values.Sum();
        result.ExpectedRequests = result.OptimalRequests;
        TickChecks.Apply(tick, result, symbols);
        TickChecks.RequestsPerSymbol(tick, result, symbols, s => optimal.GetValueOrDefault(s, -1));
        return result;
    }

    /// <summary>Deletes <see cref="BenchSettings.GapsPerSymbol"/> runs of 1 to 5 minutes at seeded random places of each
    /// symbol's window, under the lease; returns the rows deleted and, per symbol, what is then stored and proven absent.</summary>
    private static async Task<(long Deleted, Dictionary<string, HashSet<long>> Present, Dictionary<string, IReadOnlyList<TimeRange>> SourceGaps)> CutGapsAsync(
        BenchExchange exchange, BenchSettings settings, CancellationToken cancellationToken)
    {
        var symbols = exchange.Target.Symbols;
        var window = CoverageWindow.ForRun(exchange.Clock.GetUtcNow(), Bar.OneMinute, settings.LookbackHours);
        var random = new Random(20_251_126);
        var gaps = symbols.ToDictionary(s => s, _ => DrawGaps(random, window, settings.GapsPerSymbol), StringComparer.Ordinal);

        await using var admin = exchange.CreateInstance(99);
        var deleted = await admin.Database.MergeAsync(
            async (path, ct) =>
            {
                await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
                await connection.OpenAsync(ct);
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM candles WHERE inst_id = $inst_id AND bar = '1m' AND ts BETWEEN $from AND $to";
                var instId = command.Parameters.Add("$inst_id", SqliteType.Text);
                var from = command.Parameters.Add("$from", SqliteType.Integer);
                var to = command.Parameters.Add("$to", SqliteType.Integer);
                long rows = 0;
                foreach (var (symbol, ranges) in gaps)
                {
                    foreach (var range in ranges)
                    {
                        instId.Value = symbol;
                        from.Value = range.StartMs;
                        to.Value = range.EndMs;
                        rows += await command.ExecuteNonQueryAsync(ct);
                    }
                }

                await transaction.CommitAsync(ct);
                return rows;
            },
            cancellationToken);

        var present = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        var sourceGaps = new Dictionary<string, IReadOnlyList<TimeRange>>(StringComparer.Ordinal);
        var snapshot = await admin.Database.GetSnapshotPathAsync(cancellationToken);
        await using (var database = await CandleDatabase.OpenReadOnlyAsync(snapshot, cancellationToken))
        {
            foreach (var symbol in symbols)
            {
                present[symbol] = [.. await database.GetOpenTimesAsync(symbol, Bar.OneMinute, 0, long.MaxValue, cancellationToken)];
                sourceGaps[symbol] = [.. (await database.GetSourceGapsAsync(symbol, Bar.OneMinute, 0, long.MaxValue, cancellationToken)).Select(g => g.Range)];
            }
        }

        SqliteConnection.ClearAllPools();
        return (deleted, present, sourceGaps);
    }

    /// <summary>Non-overlapping, non-adjacent runs of 1 to <see cref="LongestGapMinutes"/> minutes, clear of the
    /// window's first and last ten minutes (the window slides while the bench runs).</summary>
    private static List<TimeRange> DrawGaps(Random random, CoverageWindow window, int count)
    {
        var firstMinute = (window.StartMs / MinuteMs) + 10;
        var lastMinute = (window.EndMs / MinuteMs) - 10 - LongestGapMinutes;
        var gaps = new List<TimeRange>(count);
        while (gaps.Count < count)
        {
            var start = random.NextInt64(firstMinute, lastMinute) * MinuteMs;
            var end = start + (random.Next(LongestGapMinutes) * MinuteMs);
            if (gaps.TrueForAll(g => end + MinuteMs < g.StartMs || start - MinuteMs > g.EndMs))
            {
                gaps.Add(new TimeRange(start, end));
            }
        }

        return gaps;
    }
}
