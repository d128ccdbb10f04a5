using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Bench.Scenarios;

namespace Blofin.Backfill.Bench;

/// <summary>Runs the chosen scenarios in order: on one exchange the full fill, the steady tick 30 minutes later,
/// the gap repair and the seed's baseline; then the rate-bound fill on an exchange of its own.</summary>
internal sealed class BenchRun(BenchSettings settings, AzuriteServer azurite, string workFolder, TextWriter progress)
{
    /// <summary>Blofin's real per-IP windows, which the main exchange enforces.</summary>
    private static readonly RateLimit BlofinShort = new(500, TimeSpan.FromSeconds(60));
    private static readonly RateLimit BlofinLong = new(1500, TimeSpan.FromSeconds(300));

    public async Task<BenchReport> RunAsync(string command, CancellationToken cancellationToken)
    {
        var report = new BenchReport
        {
            Machine = MachineInfo.Current($"Azurite ({azurite.Source})"),
            Command = command,
            StartedAtUtc = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            LatencyMs = settings.Latency.TotalMilliseconds,
            HistoryWeeks = settings.HistoryWeeks,
        };
        var runId = Guid.NewGuid().ToString("N")[..12];
        var needsFill = settings.Runs(ScenarioNames.FullFill) || settings.Runs(ScenarioNames.SteadyTick) || settings.Runs(ScenarioNames.GapRepair);

        if (needsFill || settings.Runs(ScenarioNames.Baseline))
        {
            // Each instance gets its share of the per-IP budget, as the deployment configures it (infra/main.bicep).
            var instances = settings.Instances;
            await using var exchange = await BenchExchange.StartAsync(
                settings.Symbols,
                settings.Latency,
                _ => { },
                (url, symbols) => new BenchTarget(
                    url, azurite.ConnectionString, $"bench-{runId}", $"bench-{runId}", symbols, settings.LookbackHours,
                    BlofinShort with { Limit = BlofinShort.Limit / instances },
                    BlofinLong with { Limit = BlofinLong.Limit / instances },
                    SafetyMargin: 0.05),
                Path.Combine(workFolder, "cache"),
                new CpuMeter(azurite),
                cancellationToken);

            if (needsFill)
            {
                report.FullFill = await StepAsync(ScenarioNames.FullFill, () => FullFillScenario.RunAsync(exchange, settings, cancellationToken));
                if (settings.Runs(ScenarioNames.SteadyTick))
                {
                    report.SteadyTick = await StepAsync(ScenarioNames.SteadyTick, () => SteadyTickScenario.RunAsync(exchange, settings, cancellationToken));
                }

                if (settings.Runs(ScenarioNames.GapRepair))
                {
                    report.GapRepair = await StepAsync(ScenarioNames.GapRepair, () => GapRepairScenario.RunAsync(exchange, settings, cancellationToken));
                }
            }

            if (settings.Runs(ScenarioNames.Baseline))
            {
                report.Baseline = await StepAsync(ScenarioNames.Baseline, () => BaselineScenario.RunAsync(exchange, settings, workFolder, cancellationToken));
            }
        }

        if (settings.Runs(ScenarioNames.RateBound))
        {
            report.RateBound = await StepAsync(ScenarioNames.RateBound, () => RateBoundScenario.RunAsync(settings, azurite, workFolder, runId, cancellationToken));
        }

        await DeleteStorageAsync([$"bench-{runId}", $"bench-rate-{runId}"], cancellationToken);
        report.Machine.LoadAverageAtEnd = MachineInfo.LoadAverage();
        return report;
    }

    /// <summary>Removes the containers and queues (with their poison queues) the run created.</summary>
    private async Task DeleteStorageAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            await new BlobContainerClient(azurite.ConnectionString, name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
            await new QueueClient(azurite.ConnectionString, name).DeleteIfExistsAsync(cancellationToken);
            await new QueueClient(azurite.ConnectionString, name + BackfillQueue.PoisonSuffix).DeleteIfExistsAsync(cancellationToken);
        }
    }

    private async Task<ScenarioResult> StepAsync(string name, Func<Task<ScenarioResult>> run)
    {
        await progress.WriteLineAsync($"{name}: running...");
        var result = await run();
        await progress.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {result.Requests} requests in {result.WallSeconds:0.000} s{(result.Problems.Count == 0 ? "" : "; PROBLEMS: " + string.Join("; ", result.Problems))}"));
        return result;
    }
}
