using System.CommandLine;
using System.Globalization;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Exchange;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>run --dry-run</c>: the plan of each symbol (missing bars, the pages and their cursors, the time
/// under the rate limits), with no candle request sent.</summary>
internal static class RunDryRun
{
    private const int RangesShown = 5;

    public static Option<bool> CreateOption() => new("--dry-run")
    {
        Description = "Print what a run would fetch (missing minutes, each page's cursor, the time under the rate limits) and send no candle request.",
    };

    public static async Task<int> WriteAsync(
        CliConsole console,
        CliServices services,
        ICandleStore store,
        IReadOnlyList<BackfillRequest> requests,
        bool json,
        CancellationToken cancellationToken)
    {
        var backfiller = services.Get<SymbolBackfiller>();
        var plans = new List<BackfillPlan>(requests.Count);
        foreach (var request in requests)
        {
            plans.Add(await backfiller.PlanAsync(request, store, cancellationToken));
        }

        var document = BackfillPlanDocument.From(plans, services.Get<IOptions<BlofinOptions>>().Value, services.Get<TimeProvider>().GetUtcNow());
        if (json)
        {
            await console.Output.WriteLineAsync(document.ToJson());
            return ExitCodes.Success;
        }

        var output = console.Output;
        await output.WriteLineAsync($"Dry run on {store.Description}: the plan below; no candle request was sent.");
        foreach (var symbol in document.Symbols)
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{symbol.InstId}: {symbol.Missing} of {symbol.Expected} bars missing ({symbol.HoleRecheckBars} of them holes due their second look) in {symbol.MissingRanges.Count} ranges, window {Utc(symbol.WindowStartUtc)} to {Utc(symbol.WindowEndUtc)}; {symbol.Pages.Count} pages, {symbol.EstimatedSeconds:0.#} s under the rate limits"));
            foreach (var range in symbol.MissingRanges.Take(RangesShown))
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  missing {Utc(range.FromUtc)} to {Utc(range.ToUtc)} ({range.Bars} bars)"));
            }

            if (symbol.MissingRanges.Count > RangesShown)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  ... and {symbol.MissingRanges.Count - RangesShown} more ranges"));
            }

            foreach (var page in symbol.Pages)
            {
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  page after={page.After} limit={page.Limit}: {Utc(page.NewestUtc)} back to {Utc(page.OldestUtc)}"));
            }
        }

        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Total: {document.TotalPages} candle requests; the rate limits ({document.RateLimits}) let them through in {document.EstimatedSeconds:0.#} s at the least (network time not included)."));
        return ExitCodes.Success;
    }

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
