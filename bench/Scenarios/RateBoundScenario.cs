using System.Diagnostics;
using System.Globalization;
using Blofin.Backfill.Exchange;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Bench.Scenarios;

/// <summary>A fill with more requests than one short window allows, against a simulator whose two windows are
/// shortened, the client given the same limits: wall time against the exact floor (<see cref="RateFloor"/>).</summary>
/// <remarks>
/// One worker instance: Blofin limits per IP and the gate is per process, so a second instance would need half the
/// budget each and could only be slower. Enough drainers that every message is in flight at once, so the gate,
/// not the queue, decides when each request goes. The floor is for the exchange's true limits; the client keeps
/// its default safety margin (<see cref="BenchSettings.RateSafetyMargin"/>, 0.05), chosen when the gate still
/// counted a request from its grant and a loaded machine let a window overfill with margin 0 (the gate now keeps
/// a request's place until one window after its attempt ends, so late sends can no longer do that).
/// </remarks>
internal static class RateBoundScenario
{
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
                settings.RateShort, settings.RateLong, settings.RateSafetyMargin),
            Path.Combine(workFolder, "cache-rate"),
            new CpuMeter(azurite),
            cancellationToken);

        var symbols = exchange.Target.Symbols;
        var drainers = (int)Math.Ceiling(symbols.Count / 8.0);
        var tick = await exchange.RunTickAsync(instances: 1, drainers, cancellationToken);
        var result = tick.ToResult(ScenarioNames.RateBound, symbols.Count, 1, drainers);
        var perSymbol = FullFillScenario.PagesPerWindow(settings.LookbackHours);
        result.ExpectedRequests = perSymbol * symbols.Count;
        result.SafetyMargin = settings.RateSafetyMargin;
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

        // The gate alone, with nothing behind it: as many turns as the fill sent, all asked for at once.
        result.GateOnlySeconds = Math.Round((await GateOnlyAsync(sent, settings, cancellationToken) + settings.Latency).TotalSeconds, 3);
        return result;
    }

    /// <summary>When a fresh <see cref="BlofinRateGate"/> with the scenario's limits grants the last of
    /// <paramref name="turns"/> turns requested together (real time), each attempt ending one latency after its
    /// grant (the gate keeps a request's place until one window after its attempt ends).</summary>
    private static async Task<TimeSpan> GateOnlyAsync(int turns, BenchSettings settings, CancellationToken cancellationToken)
    {
        var options = Options.Create(new BlofinOptions
        {
            ShortWindowLimit = settings.RateShort.Limit,
            ShortWindow = settings.RateShort.Window,
            LongWindowLimit = settings.RateLong.Limit,
            LongWindow = settings.RateLong.Window,
            SafetyMargin = settings.RateSafetyMargin,
        });
        using var gate = new BlofinRateGate(options, TimeProvider.System, NullLogger<BlofinRateGate>.Instance);
        var started = Stopwatch.StartNew();
        var granted = await Task.WhenAll(Enumerable.Range(0, turns).Select(async _ =>
        {
            using var ticket = await gate.WaitForTurnAsync(cancellationToken);
            var at = started.Elapsed;
            await Task.Delay(settings.Latency, cancellationToken);
            return at;
        }));
        return granted.Max();
    }
}
