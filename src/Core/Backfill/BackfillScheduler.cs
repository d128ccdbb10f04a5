using Blofin.Backfill.Exchange;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Backfill;

/// <summary>What the timer does: one queue message per symbol, spread over a short interval.</summary>
public sealed class BackfillScheduler(
    SymbolSource symbols,
    BackfillQueue queue,
    IOptions<BackfillOptions> options,
    ILogger<BackfillScheduler> logger)
{
    /// <summary>Enqueues one request per symbol and returns the symbols enqueued.</summary>
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
        return list;
    }
}
