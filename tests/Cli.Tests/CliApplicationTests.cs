namespace Blofin.Backfill.Cli;

public sealed class CliApplicationTests
{
    [Fact]
    public async Task RunAsync_NoCommand_PrintsHelpAndSucceeds()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync();

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        foreach (var command in new[] { "run", "coverage", "enqueue", "tick", "work" })
        {
            Assert.Contains($"  {command} ", result.Output, StringComparison.Ordinal);
        }

        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task RunAsync_HelpOption_PrintsHelpAndSucceeds()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("run", "--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("--lookback-hours <hours>", result.Output, StringComparison.Ordinal);
        Assert.Contains("--verbose", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task RunAsync_HelpWithoutRequiredArgument_PrintsHelpNotError()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("enqueue", "--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("<instId>", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task RunAsync_UnknownOption_OneLineErrorAndExitCodeTwo()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("run", "--bogus");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("'--bogus'", line, StringComparison.Ordinal);
        Assert.Contains("blofin-backfill run --help", line, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task RunAsync_UnknownCommand_OneLineErrorAndExitCodeTwo()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("backfill");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("'backfill'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LookbackNotANumber_OneLineErrorNamingOption()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("run", "--db", cli.DatabasePath, "--lookback-hours", "week");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("--lookback-hours needs a whole number, not 'week'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
        Assert.Empty(cli.Simulator.Requests);
    }
}
