using System.CommandLine;
using System.CommandLine.Help;
using Blofin.Backfill.Cli.Commands;

namespace Blofin.Backfill.Cli;

/// <summary>The <c>blofin-backfill</c> command line: parses, runs one command, maps failures to one line and an exit code.</summary>
internal static class CliApplication
{
    /// <summary>The name in help and error hints, whatever host process runs the code.</summary>
    public const string Name = "blofin-backfill";

    /// <summary>Runs one command line in-process (Program and tests).</summary>
    /// <param name="environmentOverrides">Settings that win over the process environment (tests point
    /// <c>Blofin:BaseUrl</c> and <c>AzureWebJobsStorage</c> here).</param>
    public static Task<int> RunAsync(
        string[] args,
        CliConsole console,
        IReadOnlyDictionary<string, string?>? environmentOverrides,
        CancellationToken cancellationToken) =>
        RunAsync(args, console, environmentOverrides, timeProvider: null, cancellationToken);

    /// <inheritdoc cref="RunAsync(string[], CliConsole, IReadOnlyDictionary{string, string?}?, CancellationToken)"/>
    /// <param name="timeProvider">The clock of every service (tests share one with the simulator); the system clock when null.</param>
    public static async Task<int> RunAsync(
        string[] args,
        CliConsole console,
        IReadOnlyDictionary<string, string?>? environmentOverrides,
        TimeProvider? timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var context = new CommandContext(console, environmentOverrides, timeProvider);
        var parsed = CreateRootCommand(context).Parse(args);

        // Help clears parse errors (`enqueue --help` lacks its argument and still shows help).
        if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
        {
            var errors = string.Join("; ", parsed.Errors.Select(e => e.Message.TrimEnd('.')));
            await console.Error.WriteLineAsync($"error: {errors} (see '{HelpCommandLine(parsed)}').");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Output,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,

            // Program.cs handles Ctrl+C itself; tests run in-process and must not hook the process's signals.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("Cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            var failure = CliFailure.From(ex, context.GivenSettings);
            await console.Error.WriteLineAsync($"error: {failure.Message}");
            if (context.IsVerbose(parsed))
            {
                await console.Error.WriteLineAsync(ex.ToString());
            }
            else if (!failure.IsExpected)
            {
                await console.Error.WriteLineAsync("Run again with --verbose for the stack trace.");
            }

            return failure.ExitCode;
        }
    }

    private static RootCommand CreateRootCommand(CommandContext context)
    {
        var root = new RootCommand("Keeps Blofin 1-minute candles complete in a SQLite database (a local file or the Azure blob).")
        {
            RunCommand.Create(context),
            CoverageCommand.Create(context),
            EnqueueCommand.Create(context),
            TickCommand.Create(context),
            WorkCommand.Create(context),
            ExportCommand.Create(context),
            VerifyCommand.Create(context),
        };
        root.Options.Add(context.Verbose);

        // No command: show what there is, rather than an error about what is missing.
        root.SetAction(parsed => new HelpAction().Invoke(parsed));
        return root;
    }

    private static string HelpCommandLine(ParseResult parsed) =>
        parsed.CommandResult.Command is RootCommand ? $"{Name} --help" : $"{Name} {parsed.CommandResult.Command.Name} --help";
}
