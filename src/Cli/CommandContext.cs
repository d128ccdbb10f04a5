using System.CommandLine;

namespace Blofin.Backfill.Cli;

/// <summary>What every command of one invocation shares: the console, the settings the caller supplies, the clock,
/// the global <c>--verbose</c> option, and the settings the command line gave (for error messages).</summary>
internal sealed class CommandContext(CliConsole console, IReadOnlyDictionary<string, string?>? environmentOverrides, TimeProvider? timeProvider)
{
    private readonly Dictionary<string, string> _givenSettings = new(StringComparer.OrdinalIgnoreCase);

    public CliConsole Console { get; } = console;

    /// <summary>On the root command and inherited by every command.</summary>
    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log every page and merge to standard error, and show stack traces.",
        Recursive = true,
    };

    /// <summary>Setting key to the option as typed (<c>Backfill:LookbackHours</c> to <c>--lookback-hours 0</c>).</summary>
    public IReadOnlyDictionary<string, string> GivenSettings => _givenSettings;

    public bool IsVerbose(ParseResult parsed) => parsed.GetValue(Verbose);

    /// <summary>Builds the services, with the settings the command's <see cref="ISettingOption"/>s override.</summary>
    public CliServices CreateServices(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in parsed.CommandResult.Command.Options.OfType<ISettingOption>())
        {
            if (option.GetGivenValue(parsed) is { } value)
            {
                settings[option.SettingKey] = value;
                _givenSettings[option.SettingKey] = $"{option.Name} {value}";
            }
        }

        return CliServices.Create(settings, environmentOverrides, timeProvider, Console, IsVerbose(parsed));
    }
}
