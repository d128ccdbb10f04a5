using Spectre.Console;

namespace Blofin.Backfill.Cli;

/// <summary>Where the CLI writes: rich tables and live progress when standard output is a terminal,
/// plain stable lines (no terminal control codes) when it is redirected.</summary>
internal sealed class CliConsole
{
    private readonly Lock _errorGate = new();
    private readonly bool _errorSharesTerminal;
    private List<string>? _heldErrorLines;

    /// <param name="isTerminal">Standard output is a terminal: tables and live progress; otherwise plain lines.</param>
    /// <param name="errorSharesTerminal">Standard error goes to the same terminal, so its lines are held back while a
    /// live display runs (<see cref="HoldErrorLines"/>) instead of tearing it.</param>
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
        lock (_errorGate)
        {
            if (_heldErrorLines is not null)
            {
                _heldErrorLines.Add(line);
                return;
            }

            Error.WriteLine(line);
        }
    }

    /// <summary>Holds standard error's lines back until the returned scope ends, when both streams share the
    /// terminal: a line written while Spectre redraws a live display lands inside it and tears it.</summary>
    public IDisposable HoldErrorLines()
    {
        if (!_errorSharesTerminal)
        {
            return new ReleaseHeldLines(null);
        }

        lock (_errorGate)
        {
            _heldErrorLines ??= [];
        }

        return new ReleaseHeldLines(this);
    }

    private void ReleaseErrorLines()
    {
        lock (_errorGate)
        {
            foreach (var line in _heldErrorLines ?? [])
            {
                Error.WriteLine(line);
            }

            _heldErrorLines = null;
        }
    }

    private sealed class ReleaseHeldLines(CliConsole? console) : IDisposable
    {
        public void Dispose() => console?.ReleaseErrorLines();
    }
}
