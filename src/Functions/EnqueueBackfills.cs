using Blofin.Backfill.Backfill;
using Microsoft.Azure.Functions.Worker;

namespace Blofin.Backfill.Functions;

/// <summary>The timer: one queue message per symbol, every <c>%BackfillSchedule%</c>.</summary>
public sealed class EnqueueBackfills(BackfillScheduler scheduler)
{
    // No RunOnStartup: on Flex Consumption it fires on every scale-out. A past-due tick runs once.
    [Function(nameof(EnqueueBackfills))]
    public Task RunAsync([TimerTrigger("%BackfillSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        scheduler.EnqueueAsync(BackfillTriggers.Timer, timer.IsPastDue, cancellationToken);
}
