using System.Globalization;
using Blofin.Backfill.Exchange;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Backfill;

/// <summary>What the timer does: one queue message per symbol, spread over a short interval; then one warning
/// when the store shows a symbol below the alert threshold.</summary>
public sealed class BackfillScheduler(
    SymbolSource symbols,
    BackfillQueue queue,
    ICandleStore store,
    CoverageReporter coverage,
    IOptions<BackfillOptions> options,
    ILogger<BackfillScheduler> logger)
{
    /// <summary>Enqueues one request per symbol and returns the symbols enqueued; then reads the coverage of those
    /// symbols from the store's snapshot and, when any that has run before is below <c>Backfill:AlertBelowPercent</c>
    /// of the minutes the exchange has, logs one warning naming them (event 23, what the alert watches).</summary>
    public async Task<IReadOnlyList<string>> EnqueueAsync(string trigger, bool isPastDue, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (isPastDue)
        {
            Log.PastDueTick(logger);
        }

        var list = await symbols.GetSymbolsAsync(cancellationToken);
        var bar = Bar.Parse(settings.Bar);
        await queue.EnsureCreatedAsync(cancellationToken);
        for (var i = 0; i < list.Count; i++)
        {
            // Spread visibility evenly: the first message is visible at once, the last after the spread.
            var delay = list.Count <= 1 ? TimeSpan.Zero : settings.EnqueueSpread * i / (list.Count - 1);
            var request = new BackfillRequest(list[i], bar, settings.LookbackHours, Trigger: trigger);
            await queue.SendAsync(request, delay, settings.MessageTimeToLive, cancellationToken);
        }

        Log.Enqueued(logger, list.Count, queue.Queue.Name, settings.EnqueueSpread, settings.MessageTimeToLive);
        await WarnBelowThresholdAsync(list, cancellationToken);
        return list;
    }

    private async Task WarnBelowThresholdAsync(IReadOnlyList<string> list, CancellationToken cancellationToken)
    {
        var report = await coverage.GetReportAsync(store, list, cancellationToken);
        var threshold = report.Threshold!;

        // A symbol that never ran has just had its first message enqueued: there is nothing to judge yet.
        var below = threshold.Below.Where(symbol => symbol.LastRun is not null).ToList();
        if (below.Count > 0)
        {
            var names = string.Join(", ", below.Select(symbol => string.Create(
                CultureInfo.InvariantCulture, $"{symbol.InstId} {Math.Floor(symbol.AvailablePercent * 100) / 100:0.00}% ({symbol.MissingCount} missing)")));
            Log.CoverageBelowThreshold(logger, threshold.Percent, below.Count, names);
        }
    }
}
