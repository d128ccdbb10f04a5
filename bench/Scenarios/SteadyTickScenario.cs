namespace Blofin.Backfill.Bench.Scenarios;

/// <summary>The tick 30 minutes after a full fill: one request per symbol, and only the change moved.</summary>
internal static class SteadyTickScenario
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(30);

    public static async Task<ScenarioResult> RunAsync(BenchExchange exchange, BenchSettings settings, CancellationToken cancellationToken)
    {
        var symbols = exchange.Target.Symbols;
        exchange.AdvanceClock(Interval);
        var tick = await exchange.RunTickAsync(settings.Instances, settings.DrainersPerInstance, cancellationToken);
        var result = tick.ToResult(ScenarioNames.SteadyTick, symbols.Count, settings.Instances, settings.DrainersPerInstance);
        result.ExpectedRequests = symbols.Count;
        result.AdvancedClockMinutes = Interval.TotalMinutes;
        TickChecks.Apply(tick, result, symbols);
        TickChecks.RequestsPerSymbol(tick, result, symbols, _ => 1);
        return result;
    }
}
