using System.CommandLine;
using System.Diagnostics;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Cli.Output;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>run</c>: backfill the symbols now, concurrently, into a local file or the blob.</summary>
internal static class RunCommand
{
    public static Command Create(CommandContext context)
    {
        var symbols = CliOptions.Symbols();
        var database = CliOptions.Database();
        var blob = CliOptions.Blob();
        var lookback = CliOptions.LookbackHours();
        var bar = CliOptions.Bar();
        var baseUrl = CliOptions.BaseUrl();
        var json = CliOptions.Json();
        var parallel = CliOptions.Parallel();
        var dryRun = RunDryRun.CreateOption();
        var command = new Command("run", "Backfill the symbols now: fetch exactly the missing pages, concurrently, and merge them.")
        {
            symbols, database, blob, lookback, bar, baseUrl, json, parallel, dryRun,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = context.CreateServices(parsed);
            var store = await services.OpenStoreAsync(parsed.GetValue(database), parsed.GetValue(blob), mustExist: false, cancellationToken);
            var settings = services.Get<IOptions<BackfillOptions>>().Value;
            var list = await services.Get<SymbolSource>().GetSymbolsAsync(cancellationToken);
            await EnsureListedAsync(services.Get<InstrumentCatalog>(), list, cancellationToken);

            var requests = list.Select(instId => new BackfillRequest(instId, Bar.Parse(settings.Bar), settings.LookbackHours, Trigger: BackfillTriggers.Cli)).ToList();
            var backfiller = services.Get<SymbolBackfiller>();
            if (parsed.GetValue(dryRun))
            {
                return await RunDryRun.WriteAsync(context.Console, services, store, requests, parsed.GetValue(json), cancellationToken);
            }

            var reporter = new RunReporter(context.Console, parsed.GetValue(json), parsed.GetValue(parallel), context.IsVerbose(parsed));
            var wall = Stopwatch.StartNew();
            var outcomes = await reporter.RunAllAsync(
                requests,
                (request, progress, ct) => backfiller.RunAsync(request, store, progress, ct),
                cancellationToken);
            reporter.WriteSummary(outcomes, wall.Elapsed, store.Description);
            return outcomes.All(o => o.Result?.Status == GapFillRunStatus.Succeeded) ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>Every symbol is checked against the instrument list (one request) before any candle is asked for:
    /// an unknown one stops the run with exit code 2, naming all the unknown ones.</summary>
    private static async Task EnsureListedAsync(InstrumentCatalog catalog, IReadOnlyList<string> symbols, CancellationToken cancellationToken)
    {
        var unknown = new List<BlofinUnknownInstrumentException>();
        foreach (var instId in symbols)
        {
            try
            {
                await catalog.GetAsync(instId, cancellationToken);
            }
            catch (BlofinUnknownInstrumentException ex)
            {
                unknown.Add(ex);
            }
        }

        if (unknown.Count == 1)
        {
            throw unknown[0];
        }

        if (unknown.Count > 1)
        {
            throw new CliUsageException($"unknown symbols: Blofin does not list {string.Join(", ", unknown.Select(u => u.InstId))} (checked /api/v1/market/instruments).");
        }
    }
}
