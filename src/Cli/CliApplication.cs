using System.CommandLine;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Cli.Commands;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Sync;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Cli;

/// <summary>The <c>blofin-backfill</c> command line: parses, runs one command, maps failures to exit codes.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(
        string[] args,
        CliConsole console,
        IReadOnlyDictionary<string, string?>? environmentOverrides,
        CancellationToken cancellationToken)
    {
        var context = new CommandContext(console, environmentOverrides);
        var root = new RootCommand("Keeps Blofin 1-minute candles complete in a SQLite database (local file or Azure blob).")
        {
            RunCommand.Create(context),
            CoverageCommand.Create(context),
            EnqueueCommand.Create(context),
            TickCommand.Create(context),
            WorkCommand.Create(context),
            VerifyCommand.Create(context),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await console.Error.WriteLineAsync("Run 'blofin-backfill --help' for usage.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration { Output = console.Output, Error = console.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            await console.Error.WriteLineAsync($"error: {message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
    }

    /// <summary>The one line a person reads for a failure that means "nothing was done", else null.</summary>
    private static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException ex => $"invalid setting: {string.Join(" ", ex.Failures)}",
        InvalidBackfillMessageException ex => ex.Message,
        BlofinUnknownInstrumentException ex => $"unknown symbol: {ex.Message}",
        BlofinBadParameterException ex => $"the exchange refused a parameter: {ex.Message}",
        CliUsageException ex => ex.Message,
        CorruptDatabaseBlobException ex => ex.Message,
        Storage.CandleDatabaseException ex => ex.Message,
        _ => null,
    };
}
