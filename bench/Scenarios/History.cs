using System.Diagnostics;
using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Bench.Scenarios;

/// <summary>Older history for the steady tick (<c>--history-weeks</c>): the weeks before the fill's window,
/// bulk-inserted by SQLite itself (<see cref="SyntheticCandles"/>) in one merge, not through the exchange and not
/// timed, so the blob holds as many weeks as a deployment that has run that long.</summary>
internal static class History
{
    public const int MinutesPerWeek = 7 * 24 * 60;
    private const long MinuteMs = 60_000;

    /// <summary>The cache folder of the instance that writes the history (apart from the tick's instances).</summary>
    private const int WriterIndex = 98;

    /// <summary>Adds <c>weeks - 1</c> weeks of every target symbol, ending where the fill's window starts; returns the
    /// time it took (zero for one week, which the fill already holds).</summary>
    public static async Task<TimeSpan> AddAsync(BenchExchange exchange, BenchSettings settings, CancellationToken cancellationToken)
    {
        if (settings.HistoryWeeks <= 1)
        {
            return TimeSpan.Zero;
        }

        var elapsed = Stopwatch.StartNew();
        var window = CoverageWindow.ForRun(exchange.Clock.GetUtcNow(), Bar.OneMinute, settings.LookbackHours);
        var minutes = (settings.HistoryWeeks - 1) * MinutesPerWeek;
        var fromMs = window.StartMs - (minutes * MinuteMs);
        await using var writer = exchange.CreateInstance(WriterIndex);
        await writer.Database.MergeAsync(
            async (path, ct) =>
            {
                await SyntheticCandles.InsertAsync(path, exchange.Target.Symbols, fromMs, minutes, ct);
                return minutes;
            },
            cancellationToken);
        return elapsed.Elapsed;
    }
}
