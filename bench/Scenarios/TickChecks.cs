using System.Globalization;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Bench.Scenarios;

/// <summary>The checks every tick shares: every message handled, none poisoned or retried, every symbol complete,
/// no 429 or 403.</summary>
internal static class TickChecks
{
    public static void Apply(TickOutcome tick, ScenarioResult result, IReadOnlyList<string> symbols)
    {
        var results = tick.Results.ToList();
        if (tick.Poisoned > 0 || tick.Retried > 0)
        {
            result.Problems.Add(Text($"{tick.Poisoned} messages poisoned, {tick.Retried} retried"));
        }

        var missing = symbols.Except(results.Select(r => r.InstId), StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            result.Problems.Add(Text($"no result for {missing.Count} symbols (first {missing[0]})"));
        }

        foreach (var r in results.Where(r => r.Status != GapFillRunStatus.Succeeded || r.PresentAfter != r.Expected))
        {
            result.Problems.Add(Text($"{r.InstId} ended {r.Status} with {r.PresentAfter}/{r.Expected} bars: {r.Error}"));
        }

        if (tick.RateLimited > 0 || tick.Banned > 0)
        {
            result.Problems.Add(Text($"the exchange answered 429 {tick.RateLimited} times and 403 {tick.Banned} times"));
        }
    }

    /// <summary>Adds a problem for every symbol whose request count differs from <paramref name="expected"/>.</summary>
    public static void RequestsPerSymbol(TickOutcome tick, ScenarioResult result, IEnumerable<string> symbols, Func<string, int> expected)
    {
        var wrong = symbols
            .Select(s => (Symbol: s, Sent: tick.CandleRequestsFor(s), Expected: expected(s)))
            .Where(x => x.Sent != x.Expected)
            .ToList();
        if (wrong.Count > 0)
        {
            result.Problems.Add(Text($"{wrong.Count} symbols sent the wrong number of requests, e.g. {wrong[0].Symbol}: {wrong[0].Sent} instead of {wrong[0].Expected}"));
        }

        if (result.ExpectedRequests is { } total && result.Requests != total)
        {
            result.Problems.Add(Text($"{result.Requests} requests instead of {total}"));
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
