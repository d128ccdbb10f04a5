using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Cli;

/// <summary>The options several commands share, made fresh for each command (an option belongs to one command).</summary>
internal static class CliOptions
{
    /// <summary>The local database when neither <c>--db</c> nor <c>--blob</c> is given.</summary>
    public const string DefaultDatabasePath = "data/candles.sqlite";

    public static SettingOption<string?> Symbols() => new("--symbols", $"{BackfillOptions.SectionName}:{nameof(BackfillOptions.Symbols)}")
    {
        Description = "Comma list of instrument IDs (BTC-USDT,ETH-USDT), or 'live' for every live instrument. Default: the Backfill:Symbols setting.",
        HelpName = "list",
    };

    public static Option<string?> Database() => new("--db")
    {
        Description = $"Local SQLite database file (default ./{DefaultDatabasePath}).",
        HelpName = "path",
    };

    public static Option<bool> Blob() => new("--blob")
    {
        Description = "Use the database blob in Azure Storage (AzureWebJobsStorage), under its lease, as the Functions app does.",
    };

    public static SettingOption<int> LookbackHours()
    {
        var option = new SettingOption<int>("--lookback-hours", $"{BackfillOptions.SectionName}:{nameof(BackfillOptions.LookbackHours)}")
        {
            Description = "Window in hours back from the last closed minute (default: Backfill:LookbackHours, 168).",
            HelpName = "hours",
        };

        // The default parser's message names the CLR type ("System.Int32"); this one names the option.
        option.CustomParser = result => ParseWholeNumber(result, option.Name);
        return option;
    }

    public static SettingOption<string?> Bar() => new("--bar", $"{BackfillOptions.SectionName}:{nameof(BackfillOptions.Bar)}")
    {
        Description = $"Bar to keep (default: Backfill:Bar, 1m); one of {string.Join(", ", Exchange.Bar.Known.Select(b => b.Name))}.",
        HelpName = "bar",
    };

    public static SettingOption<string?> BaseUrl() => new("--base-url", $"{BlofinOptions.SectionName}:{nameof(BlofinOptions.BaseUrl)}")
    {
        Description = "Blofin REST base URL (default: Blofin:BaseUrl, https://openapi.blofin.com); the simulator's URL offline.",
        HelpName = "url",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print one JSON document instead of tables, for scripts (logs stay on standard error).",
    };

    /// <summary>How many symbols one command backfills at once.</summary>
    public static Option<int> Parallel()
    {
        var option = new Option<int>("--parallel")
        {
            Description = "Symbols backfilled at once; each fetches up to Backfill:MaxConcurrentPages pages at once.",
            HelpName = "symbols",
            DefaultValueFactory = _ => 4,
        };
        option.CustomParser = result => ParseWholeNumber(result, option.Name);
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 64)
            {
                result.AddError($"{option.Name} must be between 1 and 64.");
            }
        });
        return option;
    }

    /// <summary>Whether <paramref name="option"/> was given on the command line (as opposed to defaulted).</summary>
    public static bool IsGiven(this ParseResult parsed, Option option) => parsed.GetResult(option) is { Implicit: false };

    private static int ParseWholeNumber(ArgumentResult result, string optionName)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{optionName} needs a whole number, not '{token}'.");
        return 0;
    }
}
