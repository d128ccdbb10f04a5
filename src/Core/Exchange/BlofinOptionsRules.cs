using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Exchange;

/// <summary>The rules of <see cref="BlofinOptions"/> that span several settings.</summary>
internal sealed class BlofinOptionsRules : IValidateOptions<BlofinOptions>
{
    public ValidateOptionsResult Validate(string? name, BlofinOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.BaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"{nameof(BlofinOptions.BaseUrl)} must be an absolute http or https URL; '{url}' is not.");
        }

        if (RateWindow.Budget(options.ShortWindowLimit, options.SafetyMargin) < 1)
        {
            failures.Add($"{nameof(BlofinOptions.ShortWindowLimit)} {options.ShortWindowLimit} less the {nameof(BlofinOptions.SafetyMargin)} {options.SafetyMargin} leaves no request per window.");
        }

        if (RateWindow.Budget(options.LongWindowLimit, options.SafetyMargin) < 1)
        {
            failures.Add($"{nameof(BlofinOptions.LongWindowLimit)} {options.LongWindowLimit} less the {nameof(BlofinOptions.SafetyMargin)} {options.SafetyMargin} leaves no request per window.");
        }

        if (options.LongWindow <= options.ShortWindow)
        {
            failures.Add($"{nameof(BlofinOptions.LongWindow)} ({options.LongWindow}) must be longer than {nameof(BlofinOptions.ShortWindow)} ({options.ShortWindow}).");
        }

        if (options.LongWindowLimit < options.ShortWindowLimit)
        {
            failures.Add($"{nameof(BlofinOptions.LongWindowLimit)} ({options.LongWindowLimit}) cannot be below {nameof(BlofinOptions.ShortWindowLimit)} ({options.ShortWindowLimit}): the long window contains the short one.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
