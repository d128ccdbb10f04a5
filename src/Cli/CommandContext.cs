using System.CommandLine;
using System.Globalization;
using Blofin.Backfill.Backfill;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Cli;

/// <summary>What every command shares: the console, the options that map to settings, and the services.</summary>
internal sealed class CommandContext(CliConsole console, IReadOnlyDictionary<string, string?>? environmentOverrides)
{
    /// <summary>The local database when neither <c>--db</c> nor <c>--blob</c> is given.</summary>
    public const string DefaultDatabasePath = "data/candles.sqlite";

    public CliConsole Console { get; } = console;

    public static Option<string?> SymbolsOption() => new("--symbols", "-s")
    {
        Description = "Comma list of instrument IDs (BTC-USDT,ETH-USDT), or 'live'. Default: the Backfill:Symbols setting.",
    };

    public static Option<string?> DatabaseOption() => new("--db")
    {
        Description = $"Local SQLite database file (default {DefaultDatabasePath}).",
    };

    public static Option<bool> BlobOption() => new("--blob")
    {
        Description = "Use the database blob in Azure Storage (AzureWebJobsStorage), under its lease, as the Functions app does.",
    };

    public static Option<int?> LookbackHoursOption() => new("--lookback-hours")
    {
        Description = "Window in hours back from the last closed minute (default: Backfill:LookbackHours, 168).",
    };

    public static Option<string?> BarOption() => new("--bar")
    {
        Description = "Bar to keep (default: Backfill:Bar, 1m).",
    };

    public static Option<string?> BaseUrlOption() => new("--base-url")
    {
        Description = "Blofin REST base URL (default: Blofin:BaseUrl, https://openapi.blofin.com); the simulator's URL offline.",
    };

    public static Option<bool> JsonOption() => new("--json")
    {
        Description = "Print one JSON document instead of tables, for scripts.",
    };

    public static Option<bool> VerboseOption() => new("--verbose", "-v")
    {
        Description = "Log every page and merge to standard error.",
    };

    /// <summary>Builds the services with the settings the command's options override.</summary>
    public CliServices CreateServices(ParseResult parsed, bool verbose = false, IReadOnlyCollection<Option>? ignore = null)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in parsed.CommandResult.Command.Options)
        {
            if (ignore?.Contains(option) == true)
            {
                continue;
            }

            var value = parsed.GetResult(option) is { Implicit: false } result ? result.GetValueOrDefault<object?>() : null;
            if (value is null)
            {
                continue;
            }

            var key = option.Name switch
            {
                "--symbols" => "Backfill:Symbols",
                "--lookback-hours" => "Backfill:LookbackHours",
                "--bar" => "Backfill:Bar",
                "--base-url" => "Blofin:BaseUrl",
                _ => null,
            };
            if (key is not null)
            {
                overrides[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }

        return CliServices.Create(overrides, environmentOverrides, Console.Error, verbose ? LogLevel.Information : LogLevel.Warning);
    }

    /// <summary>The store <c>--db</c> or <c>--blob</c> names (a local file by default).</summary>
    /// <param name="mustExist">A report on a local file that does not exist is an error, not an empty report.</param>
    public static ICandleStore OpenStore(ParseResult parsed, CliServices services, Option<string?> database, Option<bool> blob, bool mustExist = false)
    {
        var path = parsed.GetValue(database);
        if (parsed.GetValue(blob))
        {
            return path is null
                ? services.Get<ICandleStore>()
                : throw new CliUsageException("give either --db or --blob, not both.");
        }

        path ??= DefaultDatabasePath;
        if (mustExist && !File.Exists(path))
        {
            throw new CliUsageException($"no database at '{Path.GetFullPath(path)}' (give --db PATH, or --blob for the database in Azure Storage).");
        }

        return new LocalCandleStore(path);
    }
}
