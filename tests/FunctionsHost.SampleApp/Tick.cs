using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.FunctionsHost.SampleApp;

/// <summary>Logs what the timer binding gave it.</summary>
public sealed class Tick(ILogger<Tick> logger)
{
    [Function(nameof(Tick))]
    public void Run([TimerTrigger("%SampleSchedule%")] TimerInfo timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        Log.Ticked(logger, timer.IsPastDue, timer.ScheduleStatus?.Next.ToUniversalTime());
    }
}
