using Spectre.Console;

namespace Blofin.Backfill.Cli;

/// <summary>Where the CLI writes: rich tables and live progress when standard output is a terminal,
/// plain stable lines (no terminal control codes) when it is redirected.</summary>
internal sealed class CliConsole
{
    private readonly Lock _errorGate = new();
    private readonly bool _errorSharesTerminal;

    /// <param name="isTerminal">Standard output is a terminal: tables and live progress; otherwise plain lines.</param>
    /// <param name="errorSharesTerminal">Standard error goes to the same terminal, so its lines must pass through the
    /// live display (written around it) instead of tearing it.</param>
    public CliConsole(TextWriter output, TextWriter error, bool isTerminal, bool errorSharesTerminal = false)
    {
        Output = output;
        Error = error;
        IsTerminal = isTerminal;
        _errorSharesTerminal = isTerminal && errorSharesTerminal;
        Rich = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),

            // Redirected output never gets a control code, whatever the environment claims.
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }

    /// <summary>Standard output: the command's result, and nothing else.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error: log lines and error messages.</summary>
    public TextWriter Error { get; }

    /// <summary>True when standard output is a terminal: tables and live progress; false: plain lines.</summary>
    public bool IsTerminal { get; }

    /// <summary>Spectre.Console over <see cref="Output"/>; used only when <see cref="IsTerminal"/>.</summary>
    public IAnsiConsole Rich { get; }

    public static CliConsole FromProcess() =>
        new(Console.Out, Console.Error, isTerminal: !Console.IsOutputRedirected, errorSharesTerminal: !Console.IsErrorRedirected);

    /// <summary>Writes one line to standard error (a log line, a notice), whole, whichever thread calls.</summary>
    public void WriteErrorLine(string line)
    {
        if (_errorSharesTerminal)
        {
            // Through Spectre, so a live progress display is redrawn below the line instead of being overwritten.
            Rich.Write(new Text(line + Environment.NewLine, new Style(Color.Grey)));
            return;
        }

        lock (_errorGate)
        {
            Error.WriteLine(line);
        }
    }
}
