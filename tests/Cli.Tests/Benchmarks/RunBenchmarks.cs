using System.Diagnostics;
using System.Text.Json;
using Blofin.Simulator;

namespace Blofin.Backfill.Cli.Benchmarks;

/// <summary>Figures for the record, not pass/fail speed checks: explicit, so the CI suite never runs them.
/// Run with <c>dotnet run --project tests/Cli.Tests -c Release -- -explicit only -class Blofin.Backfill.Cli.Benchmarks.RunBenchmarks</c>.</summary>
public sealed class RunBenchmarks
{
    [Fact(Explicit = true)]
    public async Task Run_ThirtyTwoSymbolsWeekFromEmpty_ReportsRequestsAndWallTime()
    {
        var symbols = SimulatorOptions.CreateDefault().Instruments
            .Where(i => i.InstId is not (SimulatorOptions.NewListingInstId or SimulatorOptions.SuspendedInstId))
            .Take(32)
            .Select(i => i.InstId)
            .ToList();
        Assert.Equal(32, symbols.Count);
        await using var cli = await CliHarness.StartAsync();
        foreach (var kv in (Environment.GetEnvironmentVariable("BENCH_SETTINGS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            cli.Set(kv.Split('=')[0], kv.Split('=')[1]);
        }

        var extra = (Environment.GetEnvironmentVariable("BENCH_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = await cli.RunAsync(["run", "--symbols", string.Join(',', symbols), "--db", cli.DatabasePath, "--json", .. extra]);
        wall.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var document = JsonDocument.Parse(result.Output);
        var requests = document.RootElement.GetProperty("requests").GetInt32();
        var inserted = document.RootElement.GetProperty("inserted").GetInt64();
        Assert.Equal(32 * 8, requests);
        var sent = cli.Simulator.CountCandleRequests();
        Assert.Equal(32 * ((168 * 60) + 1), inserted);
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"run: 32 symbols x 168 h from empty: {requests} pages, {sent} candle requests sent (+1 instrument list), {inserted} rows, " +
            $"backfill {document.RootElement.GetProperty("wallSeconds").GetDouble():0.00} s, whole command {wall.Elapsed.TotalSeconds:0.00} s, " +
            $"CPU {cpu.TotalSeconds:0.0} s (CLI and simulator), database {new FileInfo(cli.DatabasePath).Length / 1024.0 / 1024.0:0.0} MB");
    }
}
