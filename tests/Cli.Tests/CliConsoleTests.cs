namespace Blofin.Backfill.Cli;

public sealed class CliConsoleTests
{
    [Fact]
    public void WriteErrorLine_WhileHeldOnSharedTerminal_WritesOnlyAfterRelease()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error, isTerminal: true, errorSharesTerminal: true);

        var held = console.HoldErrorLines();
        console.WriteErrorLine("warn first");
        console.WriteErrorLine("warn second");
        var whileHeld = error.ToString();
        held.Dispose();

        Assert.Empty(whileHeld);
        Assert.Equal($"warn first{Environment.NewLine}warn second{Environment.NewLine}", error.ToString());
        Assert.Empty(output.ToString());
    }

    [Fact]
    public void WriteErrorLine_HeldWhileRedirected_WritesAtOnce()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error, isTerminal: false, errorSharesTerminal: true);

        using var held = console.HoldErrorLines();
        console.WriteErrorLine("warn now");

        Assert.Equal($"warn now{Environment.NewLine}", error.ToString());
    }
}
