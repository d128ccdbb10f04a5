using System.CommandLine;
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
        var command = new Command("work", "Drain the backfill queue into the blob database, as the queue function does.")
        {
            untilEmpty, baseUrl,
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
            var summary = await drainer.DrainAsync(new QueueDrainOptions { UntilEmpty = parsed.GetValue(untilEmpty) }, progress, cancellationToken);
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
}
