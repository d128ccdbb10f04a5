using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Cli.Output;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>work</c>: drain the queue with exactly the queue function's handler, poison rule included.</summary>
internal static class WorkCommand
{
    public static Command Create(CommandContext context)
    {
        var untilEmpty = new Option<bool>("--until-empty") { Description = "Stop when the queue holds no message (visible or delayed); otherwise run until Ctrl+C." };
        var baseUrl = CliOptions.BaseUrl();
        var visibility = new Option<TimeSpan>("--message-visibility")
        {
            Description = "How long a message being handled stays hidden from other workers (renewed while it runs, so a stopped worker's message returns this soon): 30s, 2m or 00:00:30. Default 30s.",
            DefaultValueFactory = _ => new QueueDrainOptions().Lease,
            CustomParser = ParseVisibility,
        };
        var command = new Command("work", "Drain the backfill queue into the blob database, as the queue function does.")
        {
            untilEmpty, baseUrl, visibility,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = context.CreateServices(parsed);
            var drainer = services.GetWithStorage<BackfillQueueDrainer>();

            // One line per message as it completes (messages run in parallel): a worker's log, the same on a terminal and redirected.
            var gate = new Lock();
            var progress = new SynchronousProgress<BackfillMessageOutcome>(outcome =>
            {
                var line = Describe(outcome);
                lock (gate)
                {
                    context.Console.Output.WriteLine(line);
                }
            });
            var summary = await drainer.DrainAsync(
                new QueueDrainOptions { UntilEmpty = parsed.GetValue(untilEmpty), Lease = parsed.GetValue(visibility) },
                progress,
                cancellationToken);
            await context.Console.Output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"Processed {Figures.Plural(summary.Processed, "message")}: {summary.Poisoned} poisoned, {Figures.Plural(summary.Retried, "retry", "retries")}."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Describe(BackfillMessageOutcome outcome) => outcome switch
    {
        { PoisonReason: { } reason } => $"poisoned: {reason}",
        { Result: { } r } => string.Create(
            CultureInfo.InvariantCulture,
            $"{r.InstId}: {r.Status.ToString().ToLowerInvariant()}, {r.PresentAfter}/{r.Expected} bars, {Figures.Plural(r.Requests, "request")}, {r.Inserted} inserted, {r.SourceGapMinutes} absent at exchange"),
        _ => "processed",
    };

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
