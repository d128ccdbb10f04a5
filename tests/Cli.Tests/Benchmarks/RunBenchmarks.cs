using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Blofin.Simulator;

namespace Blofin.Backfill.Cli.Benchmarks;

/// <summary>Figures for the record, not pass/fail speed checks: explicit, so the CI suite never runs them. Run one per
/// process (a second one in the same process runs on code the first compiled), e.g.
/// <c>dotnet tests/Cli.Tests/bin/Release/net10.0/Blofin.Backfill.Cli.Tests.dll -explicit only -method "*DefaultParallel*"</c>.</summary>
/// <remarks><c>run</c> of 32 symbols over the default week, from an empty file, against the in-process simulator with
/// Blofin's default rate limits on both sides.</remarks>
public sealed class RunBenchmarks
{
    [Fact(Explicit = true)]
    public Task Run_ThirtyTwoSymbolsWeekFromEmptyDefaultParallel_ReportsRequestsAndWallTime() => MeasureAsync(parallel: 4);

    /// <summary>Every symbol at once: 256 pages in flight, as before <c>--parallel</c> existed.</summary>
    [Fact(Explicit = true)]
    public Task Run_ThirtyTwoSymbolsWeekFromEmptyAllAtOnce_ReportsRequestsAndWallTime() => MeasureAsync(parallel: 32);

    private static async Task MeasureAsync(int parallel)
    {
        var symbols = SimulatorOptions.CreateDefault().Instruments
            .Where(i => i.InstId is not (SimulatorOptions.NewListingInstId or SimulatorOptions.SuspendedInstId))
            .Take(32)
            .Select(i => i.InstId)
            .ToList();
        await using var cli = await CliHarness.StartAsync();

        // Steady state: the first runs in a process also compile (and recompile, tiered) the CLI's and the simulator's
        // code; a week of four symbols first keeps that out of the figure (32 requests, well inside the rate limits).
        var warmUp = await cli.RunAsync("run", "--symbols", string.Join(',', symbols.Skip(28)), "--db", cli.Folder.Combine("warm-up.sqlite"), "--json");
        Assert.Equal(ExitCodes.Success, warmUp.ExitCode);
        cli.Simulator.ClearRequests();

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = await cli.RunAsync(
            "run", "--symbols", string.Join(',', symbols), "--db", cli.DatabasePath, "--json", "--parallel", parallel.ToString(CultureInfo.InvariantCulture));
        wall.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var document = JsonDocument.Parse(result.Output);
        var pages = document.RootElement.GetProperty("requests").GetInt32();
        var inserted = document.RootElement.GetProperty("inserted").GetInt64();
        Assert.Equal(32 * 8, pages);
        Assert.Equal(32 * ((168 * 60) + 1), inserted);

        // Pages the backfill planned and fetched, against requests the simulator saw (attempts that timed out and
        // were sent again count there only).
        TestContext.Current.TestOutputHelper!.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"run --parallel {parallel}: 32 symbols x 168 h from empty: {pages} pages, {cli.Simulator.CountCandleRequests()} candle requests " +
            $"(+1 instrument list), {inserted} rows; backfill {document.RootElement.GetProperty("wallSeconds").GetDouble():0.00} s, " +
            $"whole command {wall.Elapsed.TotalSeconds:0.00} s, CPU {cpu.TotalSeconds:0.0} s (CLI and simulator), " +
            $"database {new FileInfo(cli.DatabasePath).Length / 1024.0 / 1024.0:0.0} MB; load average {LoadAverage()}"));
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
