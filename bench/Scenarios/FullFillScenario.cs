namespace Blofin.Backfill.Bench.Scenarios;

/// <summary>Every symbol's window from an empty database, through the queue: exactly
/// ceil(10,081 / 1440) = 8 requests per symbol for 168 hours.</summary>
internal static class FullFillScenario
{
    public static async Task<ScenarioResult> RunAsync(BenchExchange exchange, BenchSettings settings, CancellationToken cancellationToken)
    {
        var symbols = exchange.Target.Symbols;
        var tick = await exchange.RunTickAsync(settings.Instances, settings.DrainersPerInstance, cancellationToken);
        var result = tick.ToResult(ScenarioNames.FullFill, symbols.Count, settings.Instances, settings.DrainersPerInstance);
        var perSymbol = PagesPerWindow(settings.LookbackHours);
        result.ExpectedRequests = perSymbol * symbols.Count;
        TickChecks.Apply(tick, result, symbols);
        TickChecks.RequestsPerSymbol(tick, result, symbols, _ => perSymbol);
        return result;
    }

    /// <summary>Pages of 1440 one-minute bars for a whole window of <paramref name="hours"/> hours (both ends counted).</summary>
    public static int PagesPerWindow(int hours) => (int)Math.Ceiling(((hours * 60) + 1) / 1440.0);
}
