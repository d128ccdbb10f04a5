using System.CommandLine;
using System.Globalization;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Cli.Output;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>tick</c>: what the timer function does, once.</summary>
internal static class TickCommand
{
    public static Command Create(CommandContext context)
    {
        var symbols = CliOptions.Symbols();
        var lookback = CliOptions.LookbackHours();
        var bar = CliOptions.Bar();
        var baseUrl = CliOptions.BaseUrl();
        var command = new Command("tick", "Do what the timer does once: one queue message per symbol (Backfill:Symbols), spread over Backfill:EnqueueSpread.")
        {
            symbols, lookback, bar, baseUrl,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = context.CreateServices(parsed);
            var scheduler = services.GetWithStorage<BackfillScheduler>();
            var enqueued = await scheduler.EnqueueAsync(BackfillTriggers.Timer, isPastDue: false, cancellationToken);
            var queue = services.Get<BackfillQueue>();
            await context.Console.Output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"Enqueued {Figures.Plural(enqueued.Count, "message")} on {queue.Queue.Name}: {string.Join(", ", enqueued)}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
