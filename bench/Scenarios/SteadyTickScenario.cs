using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Bench.Scenarios;

/// <summary>The tick 30 minutes after a full fill: one request per symbol, and only the change moved.</summary>
/// <remarks>Before the tick, untimed: the older weeks of <c>--history-weeks</c> are added, and every instance's cache
/// is brought to the blob's current version, so the tick's bytes are its own (not the fill's last merges). The tick's
/// blob traffic goes through a counting proxy (<see cref="StorageProxy"/>), which counts the block lists the
/// library's counters leave out.</remarks>
internal static class SteadyTickScenario
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(30);

    public static async Task<ScenarioResult> RunAsync(BenchExchange exchange, BenchSettings settings, CancellationToken cancellationToken)
    {
        var symbols = exchange.Target.Symbols;
        var history = await History.AddAsync(exchange, settings, cancellationToken);
        for (var i = 0; i < settings.Instances; i++)
        {
            await exchange.RefreshCacheAsync(i, cancellationToken);
        }

        exchange.AdvanceClock(Interval);
        var (proxy, proxied) = await StorageProxy.StartAsync(exchange.Target.StorageConnectionString, cancellationToken);
        TickOutcome tick;
        IReadOnlyDictionary<string, WireTraffic> wire;
        await using (proxy)
        {
            tick = await exchange.RunTickAsync(
                settings.Instances, settings.DrainersPerInstance, exchange.Target with { StorageConnectionString = proxied }, cancellationToken);
            wire = proxy.Traffic.ToDictionary(kv => kv.Key, kv => new WireTraffic(kv.Value.Requests, kv.Value.Sent, kv.Value.Received), StringComparer.Ordinal);
        }

        var result = tick.ToResult(ScenarioNames.SteadyTick, symbols.Count, settings.Instances, settings.DrainersPerInstance);
        result.ExpectedRequests = symbols.Count;
        result.AdvancedClockMinutes = Interval.TotalMinutes;
        result.HistorySeconds = history > TimeSpan.Zero ? Math.Round(history.TotalSeconds, 1) : null;
        result.DeltaSync = DeltaSyncResult.From(settings.HistoryWeeks, tick.Sync, tick.Results, wire);
        TickChecks.Apply(tick, result, symbols);
        TickChecks.RequestsPerSymbol(tick, result, symbols, _ => 1);
        return result;
    }
}
