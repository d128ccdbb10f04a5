using System.CommandLine;
using System.Globalization;
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
        var lookback = CommandContext.LookbackHoursOption();
        var bar = CommandContext.BarOption();
        var from = new Option<DateTimeOffset?>("--from") { Description = "Start of a manual range, ISO 8601 with offset (2026-11-20T00:00:00Z)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End of a manual range, ISO 8601 with offset." };
        var command = new Command("enqueue", "Put the manual message for one symbol on the backfill queue (BackfillQueueName).")
        {
            instId, lookback, bar, from, to,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = context.CreateServices(parsed);
            var settings = services.Get<IOptions<BackfillOptions>>().Value;
            var (fromUtc, toUtc) = (parsed.GetValue(from), parsed.GetValue(to));
            if (fromUtc is null != toUtc is null)
            {
                throw new CliUsageException("a manual range needs both --from and --to.");
            }

            if (fromUtc is not null && parsed.GetValue(lookback) is not null)
            {
                throw new CliUsageException("give either --lookback-hours or --from/--to, not both.");
            }

            var request = new BackfillRequest(
                BackfillMessageParser.NormalizeInstrumentId(parsed.GetValue(instId)),
                Bar.Parse(settings.Bar),
                settings.LookbackHours,
                fromUtc?.ToUniversalTime(),
                toUtc?.ToUniversalTime(),
                BackfillTriggers.Manual);

            // Round-trip through the queue function's own parser so a message it would poison is never sent.
            var message = request.ToMessageJson();
            services.Get<BackfillMessageParser>().Parse(message);
            var queue = services.Get<BackfillQueue>();
            await queue.SendAsync(request, TimeSpan.Zero, timeToLive: null, cancellationToken);
            await context.Console.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Enqueued on {queue.Queue.Name}: {message}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
