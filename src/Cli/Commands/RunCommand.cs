using Blofin.Backfill.Storage;
using System.CommandLine;
using System.Diagnostics;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Cli.Output;
using Blofin.Backfill.Exchange;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>run</c>: backfill the symbols now, concurrently, into a local file or the blob.</summary>
internal static class RunCommand
{
    public static Command Create(CommandContext context)
    {
        var symbols = CommandContext.SymbolsOption();
        var database = CommandContext.DatabaseOption();
        var blob = CommandContext.BlobOption();
        var lookback = CommandContext.LookbackHoursOption();
        var bar = CommandContext.BarOption();
        var baseUrl = CommandContext.BaseUrlOption();
        var json = CommandContext.JsonOption();
        var verbose = CommandContext.VerboseOption();
        var dryRun = RunDryRun.CreateOption();
        var command = new Command("run", "Backfill the symbols now: fetch exactly the missing pages and merge them.")
        {
            symbols, database, blob, lookback, bar, baseUrl, json, verbose, dryRun,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = context.CreateServices(parsed, parsed.GetValue(verbose));
            var store = CommandContext.OpenStore(parsed, services, database, blob);
            var settings = services.Get<IOptions<BackfillOptions>>().Value;
            var list = await services.Get<SymbolSource>().GetSymbolsAsync(cancellationToken);
            var catalog = services.Get<InstrumentCatalog>();

            // Every symbol is checked before any is fetched: an unknown one stops the run with exit code 2.
            foreach (var instId in list)
            {
                await catalog.GetAsync(instId, cancellationToken);
            }

            var requests = list.Select(instId => new BackfillRequest(instId, Bar.Parse(settings.Bar), settings.LookbackHours, Trigger: BackfillTriggers.Cli)).ToList();
            var backfiller = services.Get<SymbolBackfiller>();
            if (parsed.GetValue(dryRun))
            {
                return await RunDryRun.WriteAsync(context.Console, services, store, requests, parsed.GetValue(json), cancellationToken);
            }

            var report = new RunReporter(context.Console, parsed.GetValue(json));
            var wall = Stopwatch.StartNew();
            var outcomes = await report.TrackAsync(
                requests,
                (request, progress, ct) => backfiller.RunAsync(request, store, progress, ct),
                cancellationToken);
            report.WriteSummary(outcomes, wall.Elapsed, store.Description);
            return outcomes.All(o => o.Result?.Status == GapFillRunStatus.Succeeded) ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}
