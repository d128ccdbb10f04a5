using System.CommandLine;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Exchange;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>enqueue</c>: the manual message, for one symbol, on the queue the Functions app drains.</summary>
internal static class EnqueueCommand
{
    public static Command Create(CommandContext context)
    {
        var instId = new Argument<string>("instId") { Description = "The instrument ID, such as BTC-USDT." };
        var lookback = CliOptions.LookbackHours();
        var bar = CliOptions.Bar();
        var from = new Option<DateTimeOffset?>("--from") { Description = "Start of a manual range, ISO 8601 with offset (2026-11-20T00:00:00Z).", HelpName = "time" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End of a manual range, ISO 8601 with offset.", HelpName = "time" };
        var command = new Command("enqueue", "Put the manual message for one symbol on the backfill queue (BackfillQueueName), as a person would in the portal.")
        {
            instId, lookback, bar, from, to,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var (fromUtc, toUtc) = (parsed.GetValue(from), parsed.GetValue(to));
            if (fromUtc is null != toUtc is null)
            {
                throw new CliUsageException("a manual range needs both --from and --to.");
            }

            if (fromUtc is not null && parsed.IsGiven(lookback))
            {
                throw new CliUsageException("give either --lookback-hours or --from/--to, not both.");
            }

            await using var services = context.CreateServices(parsed);
            var settings = services.Get<IOptions<BackfillOptions>>().Value;
            var request = new BackfillRequest(
                BackfillMessageParser.NormalizeInstrumentId(parsed.GetValue(instId)),
                Bar.Parse(settings.Bar),
                settings.LookbackHours,
                fromUtc?.ToUniversalTime(),
                toUtc?.ToUniversalTime(),
                BackfillTriggers.Manual);

            // Through the queue function's own parser first, so a message it would poison is never sent.
            var message = request.ToMessageJson();
            services.Get<BackfillMessageParser>().Parse(message);
            var queue = services.GetWithStorage<BackfillQueue>();
            await queue.SendAsync(request, TimeSpan.Zero, timeToLive: null, cancellationToken);
            await context.Console.Output.WriteLineAsync($"Enqueued on {queue.Queue.Name}: {message}");
            return ExitCodes.Success;
        });
        return command;
    }
}
