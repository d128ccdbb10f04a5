namespace Blofin.Simulator;

public sealed class SimulatorCommandLineTests
{
    [Fact]
    public void Parse_EveryOption_SetsItsOption()
    {
        var commandLine = SimulatorCommandLine.Parse(
            ["--port", "5005", "--latency-ms", "50", "--rate-limits", "400/1m,1200/5m", "--seed", "7", "--fault-rate", "0.08", "--fault-seed", "3", "--retention-hours", "168"]);

        var options = commandLine.Options;
        Assert.Equal(5005, commandLine.Port);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.Latency);
        Assert.Equal((400, TimeSpan.FromMinutes(1)), (options.ShortWindowLimit, options.ShortWindow));
        Assert.Equal((1200, TimeSpan.FromMinutes(5)), (options.LongWindowLimit, options.LongWindow));
        Assert.Equal(7, options.Seed);
        Assert.Equal(0.08, options.ServerErrorRate + options.MalformedBodyRate + options.TruncatedBodyRate, 10);
        Assert.Equal(3, options.FaultSeed);
        Assert.Equal(TimeSpan.FromHours(168), options.HistoryRetention);
    }

    [Fact]
    public void Parse_NoArguments_ServesTheDefaultsOnPort5005()
    {
        var commandLine = SimulatorCommandLine.Parse([]);

        Assert.Equal(5005, commandLine.Port);
        Assert.Equal((500, TimeSpan.FromSeconds(60), 1500, TimeSpan.FromSeconds(300)),
            (commandLine.Options.ShortWindowLimit, commandLine.Options.ShortWindow, commandLine.Options.LongWindowLimit, commandLine.Options.LongWindow));
    }

    [Theory]
    [InlineData("--port", "http", "--port")]
    [InlineData("--rate-limits", "500/60s", "two windows")]
    [InlineData("--rate-limits", "500/60x,1500/300s", "unit")]
    [InlineData("--fault-rate", "2", "--fault-rate")]
    [InlineData("--colour", "blue", "--colour")]
    public void Parse_BadArgument_ThrowsNamingIt(string name, string value, string named)
    {
        var error = Assert.Throws<FormatException>(() => SimulatorCommandLine.Parse([name, value]));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
