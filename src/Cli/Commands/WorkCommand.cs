using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Blofin.Backfill.Backfill;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>work</c>: drain the queue with exactly the queue function's handler, poison rule included.</summary>
internal static class WorkCommand
{
    public static Command Create(CommandContext context)
    {
        var untilEmpty = new Option<bool>("--until-empty") { Description = "Stop when the queue holds no message (visible or delayed); otherwise run until Ctrl+C." };
        var baseUrl = CommandContext.BaseUrlOption();
        var verbose = CommandContext.VerboseOption();
        var visibility = new Option<TimeSpan>("--message-visibility")
        {
            Description = "How long a message being handled stays hidden from other workers (renewed while it runs, so a stopped worker's message returns this soon): 30s, 2m or 00:00:30. Default 30s.",
            DefaultValueFactory = _ => new QueueDrainOptions().Lease,
            CustomParser = ParseVisibility,
        };
        var command = new Command("work", "Drain the backfill queue into the blob database, as the queue function does.")
        {
            untilEmpty, baseUrl, verbose, visibility,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = context.CreateServices(parsed, parsed.GetValue(verbose));
            var progress = new SynchronousProgress<BackfillMessageOutcome>(outcome =>
            {
                var line = outcome switch
                {
                    { PoisonReason: { } reason } => $"poisoned: {reason}",
                    { Result: { } r } => string.Create(CultureInfo.InvariantCulture, $"{r.InstId}: {r.Status.ToString().ToLowerInvariant()}, {r.PresentAfter}/{r.Expected} bars, {r.Requests} requests, {r.Inserted} inserted"),
                    _ => "processed",
                };
                context.Console.Output.WriteLine(line);
            });
            var summary = await services.Get<BackfillQueueDrainer>().DrainAsync(
                new QueueDrainOptions { UntilEmpty = parsed.GetValue(untilEmpty), Lease = parsed.GetValue(visibility) },
                progress,
                cancellationToken);
            await context.Console.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Processed {summary.Processed} messages: {summary.Poisoned} poisoned, {summary.Retried} retries."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static TimeSpan ParseVisibility(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : string.Empty;
        TimeSpan? value = text switch
        {
            [.. var number, 's'] when int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) => TimeSpan.FromSeconds(seconds),
            [.. var number, 'm'] when int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) => TimeSpan.FromMinutes(minutes),
            _ when TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var span) => span,
            _ => null,
        };
        if (value is not { } visibility || visibility < QueueDrainOptions.MinimumLease || visibility > QueueDrainOptions.MaximumLease)
        {
            result.AddError($"--message-visibility takes a duration from 1s to 7 days such as 30s, 2m or 00:00:30, not '{text}'.");
            return default;
        }

        return visibility;
    }
}
