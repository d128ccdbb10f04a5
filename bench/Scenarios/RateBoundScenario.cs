using System.Globalization;

namespace Blofin.Backfill.Bench.Scenarios;

/// <summary>A fill with more requests than one short window allows, against a simulator whose two windows are
/// shortened, the client given the same limits: wall time against the exact floor (<see cref="RateFloor"/>).</summary>
/// <remarks>
/// One worker instance: Blofin limits per IP and the gate is per process, so a second instance would need half the
/// budget each and could only be slower. Enough drainers that every message is in flight at once, so the gate,
/// not the queue, decides when each request goes. Safety margin 0: the floor is for the exchange's true limits,
/// and here nothing else shares the IP and the clocks are one machine's (the gate still keeps one request below
/// each limit, see <c>RateWindow.Budget</c>).
/// </remarks>
internal static class RateBoundScenario
{
    public const double SafetyMargin = 0;

    public static async Task<ScenarioResult> RunAsync(BenchSettings settings, AzuriteServer azurite, string workFolder, string runId, CancellationToken cancellationToken)
    {
        await using var exchange = await BenchExchange.StartAsync(
            settings.RateSymbols,
            settings.Latency,
            options =>
            {
                options.ShortWindowLimit = settings.RateShort.Limit;
                options.ShortWindow = settings.RateShort.Window;
                options.LongWindowLimit = settings.RateLong.Limit;
                options.LongWindow = settings.RateLong.Window;
            },
            (url, symbols) => new BenchTarget(
                url, azurite.ConnectionString, $"bench-rate-{runId}", $"bench-rate-{runId}", symbols, settings.LookbackHours,
                settings.RateShort, settings.RateLong, SafetyMargin),
            Path.Combine(workFolder, "cache-rate"),
            cancellationToken);

        var symbols = exchange.Target.Symbols;
        var drainers = (int)Math.Ceiling(symbols.Count / 8.0);
        var tick = await exchange.RunTickAsync(instances: 1, drainers, cancellationToken);
        var result = tick.ToResult(ScenarioNames.RateBound, symbols.Count, 1, drainers);
        var perSymbol = FullFillScenario.PagesPerWindow(settings.LookbackHours);
        result.ExpectedRequests = perSymbol * symbols.Count;
        result.SafetyMargin = SafetyMargin;
        result.RateLimits = string.Create(CultureInfo.InvariantCulture, $"{settings.RateShort},{settings.RateLong}");

        // The floor for every market request the exchange received (the instrument list counts against the windows too).
        var sent = tick.ExchangeLog.Count;
        result.FloorSeconds = Math.Round(RateFloor.Compute(sent, settings.RateShort, settings.RateLong, settings.Latency).TotalSeconds, 3);
        var times = tick.ExchangeLog.Select(r => r.ReceivedAtUtc).Order().ToList();
        result.BusiestWindows = [RateFloor.Busiest(times, settings.RateShort.Window), RateFloor.Busiest(times, settings.RateLong.Window)];

        TickChecks.Apply(tick, result, symbols);
        TickChecks.RequestsPerSymbol(tick, result, symbols, _ => perSymbol);
        if (result.BusiestWindows[0] > settings.RateShort.Limit || result.BusiestWindows[1] > settings.RateLong.Limit)
        {
            result.Problems.Add(string.Create(CultureInfo.InvariantCulture, $"a window held {result.BusiestWindows[0]} / {result.BusiestWindows[1]} requests"));
        }

        return result;
    }
}
