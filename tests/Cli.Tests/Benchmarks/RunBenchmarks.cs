using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Blofin.Simulator;

namespace Blofin.Backfill.Cli.Benchmarks;

/// <summary>Figures for the record, not pass/fail speed checks: explicit, so the CI suite never runs them. Run with
/// <c>dotnet run --project tests/Cli.Tests -c Release -- -explicit only -class Blofin.Backfill.Cli.Benchmarks.RunBenchmarks</c>.</summary>
public sealed class RunBenchmarks
{
    /// <summary><c>run</c> of 32 symbols over the default week, from an empty file, against the in-process simulator
    /// with Blofin's default rate limits on both sides; the default <c>--parallel</c> and an unbounded one.</summary>
    [Theory(Explicit = true)]
    [InlineData(4)]
    [InlineData(32)]
    public async Task Run_ThirtyTwoSymbolsWeekFromEmpty_ReportsRequestsAndWallTime(int parallel)
    {
        var symbols = SimulatorOptions.CreateDefault().Instruments
            .Where(i => i.InstId is not (SimulatorOptions.NewListingInstId or SimulatorOptions.SuspendedInstId))
            .Take(32)
            .Select(i => i.InstId)
            .ToList();
        await using var cli = await CliHarness.StartAsync();

        // Steady state: the first run in a process also compiles the CLI's and the simulator's code.
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.Folder.Combine("warm-up.sqlite"), "--lookback-hours", "24", "--json")).ExitCode);
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
