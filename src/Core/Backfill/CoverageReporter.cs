using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Backfill;

/// <summary>Reads coverage from a store without asking the exchange: the window ends at the last closed
/// bar now and starts no earlier than each instrument's listing time as the last run recorded it. A report
/// reads the store's current version (<see cref="ICandleStore.ReadCurrentAsync"/>), not a planner's cached copy,
/// and carries the verdict against <c>Backfill:AlertBelowPercent</c> (see <see cref="CoverageThreshold"/>).</summary>
public sealed class CoverageReporter(IOptions<BackfillOptions> options, TimeProvider timeProvider)
{
    /// <summary>Coverage of <paramref name="symbols"/> (every symbol in the database when null).</summary>
    public Task<CoverageReport> GetReportAsync(ICandleStore store, IReadOnlyList<string>? symbols, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var settings = options.Value;
        var bar = Bar.Parse(settings.Bar);
        var now = timeProvider.GetUtcNow();
        return store.ReadCurrentAsync(
            async (database, ct) =>
            {
                var list = symbols ?? await database.GetSymbolsAsync(bar, ct);
                var coverage = new List<SymbolCoverage>(list.Count);
                var counted = new List<SymbolCoverage>(list.Count);
                var countedEndMs = CoverageWindow.ForRun(now - settings.AlertGrace, bar, 0).EndMs;
                foreach (var instId in list)
                {
                    var window = CoverageWindow.ForRun(now, bar, settings.LookbackHours, await database.GetListTimeAsync(instId, ct));
                    coverage.Add(await database.GetCoverageAsync(instId, bar, window, ct));

                    // The same window less its newest minutes, which the next tick has yet to fetch.
                    var checkedWindow = new CoverageWindow(window.StartMs, Math.Min(window.EndMs, countedEndMs), bar);
                    counted.Add(await database.GetCoverageAsync(instId, bar, checkedWindow, ct));
                }

                return new CoverageReport(now, bar.Name, settings.LookbackHours, coverage)
                {
                    Threshold = new CoverageThreshold(
                        settings.AlertBelowPercent, settings.AlertGrace, DateTimeOffset.FromUnixTimeMilliseconds(countedEndMs), counted),
                };
            },
            cancellationToken);
    }

    /// <summary>The heatmap of <paramref name="symbols"/> (every symbol in the database when null): one row per symbol, one cell per hour.</summary>
    public Task<HeatmapData> GetHeatmapAsync(ICandleStore store, IReadOnlyList<string>? symbols, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var settings = options.Value;
        var bar = Bar.Parse(settings.Bar);
        var now = timeProvider.GetUtcNow();
        var window = CoverageWindow.ForRun(now, bar, settings.LookbackHours);
        return store.ReadCurrentAsync(
            async (database, ct) =>
            {
                var list = symbols ?? await database.GetSymbolsAsync(bar, ct);
                var inputs = new List<HeatmapSymbolInput>(list.Count);
                foreach (var instId in list)
                {
                    var present = await database.GetOpenTimesAsync(instId, bar, window.StartMs, window.EndMs, ct);
                    var absent = await database.GetSourceGapsAsync(instId, bar, window.StartMs, window.EndMs, ct);
                    var listTime = await database.GetListTimeAsync(instId, ct);
                    inputs.Add(new HeatmapSymbolInput(instId, [.. present], [.. absent.Select(gap => gap.Range)], listTime));
                }

                return CoverageHeatmap.Build(window.StartMs, window.EndMs, bar, inputs, now);
            },
            cancellationToken);
    }
}
