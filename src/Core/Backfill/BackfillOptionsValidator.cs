using Blofin.Backfill.Exchange;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Backfill;

/// <summary>The data-annotation rules of <see cref="BackfillOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class BackfillOptionsAnnotationsValidator : IValidateOptions<BackfillOptions>;

/// <summary>The rules of <see cref="BackfillOptions"/> that span fields or need parsing.</summary>
internal sealed class BackfillOptionsValidator : IValidateOptions<BackfillOptions>
{
    public ValidateOptionsResult Validate(string? name, BackfillOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Bar.TryParse(options.Bar, out _))
        {
            failures.Add($"Backfill:Bar '{options.Bar}' is not a Blofin bar; expected one of {string.Join(", ", Bar.Known.Select(b => b.Name))}.");
        }

        if (!string.Equals(options.Symbols?.Trim(), SymbolSource.LiveKeyword, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                if (SymbolSource.ParseList(options.Symbols ?? string.Empty).Count == 0)
                {
                    failures.Add("Backfill:Symbols is empty; give a comma list of instrument IDs or 'live'.");
                }
            }
            catch (InvalidBackfillMessageException ex)
            {
                failures.Add($"Backfill:Symbols: {ex.Message}");
            }
        }

        if (options.RetentionDays is { } days && days * 24L < options.LookbackHours)
        {
            failures.Add($"Backfill:RetentionDays ({days}) keeps less than the window, Backfill:LookbackHours ({options.LookbackHours} h); keep at least {(options.LookbackHours + 23) / 24} days, or leave it empty to keep everything.");
        }

        if (options.EnqueueSpread >= options.MessageTimeToLive)
        {
            failures.Add($"Backfill:EnqueueSpread ({options.EnqueueSpread}) must be shorter than Backfill:MessageTimeToLive ({options.MessageTimeToLive}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
