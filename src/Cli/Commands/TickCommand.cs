using System.CommandLine;
using System.Globalization;
using Blofin.Backfill.Backfill;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>tick</c>: what the timer function does, once.</summary>
internal static class TickCommand
{
    public static Command Create(CommandContext context)
    {
        var symbols = CommandContext.SymbolsOption();
        var lookback = CommandContext.LookbackHoursOption();
        var baseUrl = CommandContext.BaseUrlOption();
        var command = new Command("tick", "Do what the timer does once: one queue message per symbol (Backfill:Symbols).")
        {
            symbols, lookback, baseUrl,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = context.CreateServices(parsed);
            var enqueued = await services.Get<BackfillScheduler>().EnqueueAsync(BackfillTriggers.Timer, isPastDue: false, cancellationToken);
            await context.Console.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Enqueued {enqueued.Count} messages: {string.Join(", ", enqueued)}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
