using System.Text.RegularExpressions;
using Azure;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Blofin.Backfill.Sync;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Cli;

/// <summary>A failure as a person reads it: one line on standard error, and the exit code a script tests.</summary>
internal sealed record CliFailure(int ExitCode, string Message, bool IsExpected)
{
    /// <summary>Classifies <paramref name="exception"/>: what the person can fix (arguments, settings, symbol,
    /// database) exits <see cref="ExitCodes.Usage"/>; what went wrong while working exits <see cref="ExitCodes.Failed"/>.</summary>
    public static CliFailure From(Exception exception, IReadOnlyDictionary<string, string> givenSettings)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            CliUsageException ex => Usage(ex.Message),
            OptionsValidationException ex => Usage("invalid setting: " + string.Join("; ", ex.Failures.Select(f => NameOption(f, givenSettings)))),
            BlofinUnknownInstrumentException ex => Usage("unknown symbol: " + ex.Message),
            BlofinBadParameterException ex => Usage("the exchange refused a parameter: " + ex.Message),
            InvalidBackfillMessageException ex => Usage(ex.Message),
            CandleDatabaseException ex => Usage(ex.Message),
            CorruptDatabaseBlobException ex => Usage(ex.Message),
            BlofinException ex => Failed("the exchange failed: " + ex.Message),
            RequestFailedException { Status: 0 } ex => Failed("Azure Storage could not be reached: " + ex.Message),
            RequestFailedException ex => Failed($"Azure Storage refused the request ({ex.Status} {ex.ErrorCode}): {ex.Message}"),

            // The Azure SDK's "Retry failed after 6 tries" wraps every attempt's failure; the last one says why.
            AggregateException { InnerExceptions: [.., RequestFailedException last] } ex => Retried(From(last, givenSettings), ex.InnerExceptions.Count),
            DatabaseLeaseTimeoutException or DatabaseLeaseLostException => Failed(exception.Message),
            IOException or UnauthorizedAccessException => Failed(exception.Message),
            _ => new CliFailure(ExitCodes.Failed, $"unexpected {exception.GetType().Name}: {FirstLine(exception.Message)}", IsExpected: false),
        };
    }

    /// <summary>The first line of <paramref name="message"/>: Azure and SQLite messages go on with details a
    /// person does not need in the one line.</summary>
    public static string FirstLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var end = message.AsSpan().IndexOfAny('\r', '\n');
        return (end < 0 ? message : message[..end]).Trim();
    }

    private static CliFailure Retried(CliFailure last, int tries) => last with { Message = $"{last.Message} ({tries} tries)" };

    private static CliFailure Usage(string message) => new(ExitCodes.Usage, FirstLine(message), IsExpected: true);

    private static CliFailure Failed(string message) => new(ExitCodes.Failed, FirstLine(message), IsExpected: true);

    // The validators name the setting (LookbackHours, Backfill:Bar); when the value came from an option, say which,
    // since that is what the person typed.
    private static string NameOption(string failure, IReadOnlyDictionary<string, string> givenSettings)
    {
        foreach (var (settingKey, option) in givenSettings)
        {
            var property = settingKey[(settingKey.LastIndexOf(':') + 1)..];
            if (failure.Contains(settingKey, StringComparison.OrdinalIgnoreCase) || Regex.IsMatch(failure, $@"\b{Regex.Escape(property)}\b", RegexOptions.CultureInvariant))
            {
                return $"{option}: {failure}";
            }
        }

        return failure;
    }
}
