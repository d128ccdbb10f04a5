using System.Diagnostics;

namespace Blofin.Backfill.Bench.Scenarios;

/// <summary>The seed's algorithm against the same simulator: see <see cref="SeedBaseline"/>.</summary>
internal static class BaselineScenario
{
    public static async Task<ScenarioResult> RunAsync(BenchExchange exchange, BenchSettings settings, string workFolder, CancellationToken cancellationToken)
    {
        var symbols = exchange.Target.Symbols;
        var path = Path.Combine(workFolder, "baseline.sqlite");
        using var http = new HttpClient { BaseAddress = exchange.Simulator.BaseUrl };
        var baseline = new SeedBaseline(http, exchange.Clock, path);

        exchange.Simulator.ClearRequests();
        var wall = Stopwatch.StartNew();
        var (requests, inserted) = await baseline.RunAsync(symbols, settings.LookbackHours, cancellationToken);
        wall.Stop();

        var log = exchange.Simulator.Requests;
        var result = new ScenarioResult
        {
            Name = ScenarioNames.Baseline,
            Symbols = symbols.Count,
            Requests = log.Count(r => r.IsCandles),
            WallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 3),
            RowsInserted = inserted,
            RateLimited = log.Count(r => r.StatusCode == 429 || r.Code == "429"),
            Banned = log.Count(r => r.StatusCode == 403),
            RequestSpanSeconds = log.Count < 2 ? 0 : Math.Round((log.Max(r => r.ReceivedAtUtc) - log.Min(r => r.ReceivedAtUtc)).TotalSeconds, 3),
            Notes = $"{SeedBaseline.PageRows} rows per request, {SeedBaseline.PauseAfterRequest.TotalMilliseconds} ms after each request, {SeedBaseline.PauseAfterSymbol.TotalMilliseconds} ms after each symbol, local SQLite",
        };
        if (requests != result.Requests)
        {
            result.Problems.Add($"the baseline counted {requests} requests, the exchange {result.Requests}");
        }

        if (result.RateLimited > 0 || result.Banned > 0)
        {
            result.Problems.Add($"the exchange answered 429 {result.RateLimited} times and 403 {result.Banned} times");
        }

        File.Delete(path);
        return result;
    }
}
