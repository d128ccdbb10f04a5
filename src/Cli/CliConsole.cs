using Spectre.Console;

namespace Blofin.Backfill.Cli;

/// <summary>Where the CLI writes: rich tables and progress on a terminal, plain stable lines otherwise.</summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, bool isTerminal)
    {
        Output = output;
        Error = error;
        IsTerminal = isTerminal;
        Rich = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>True when standard output is a terminal: tables and live progress; false: plain lines.</summary>
    public bool IsTerminal { get; }

    public IAnsiConsole Rich { get; }

    public static CliConsole FromProcess()
    {
        var isTerminal = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        return new CliConsole(Console.Out, Console.Error, isTerminal);
    }
}
