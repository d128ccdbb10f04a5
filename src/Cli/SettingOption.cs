using System.CommandLine;
using System.Globalization;

namespace Blofin.Backfill.Cli;

/// <summary>An <see cref="Option{T}"/> that overrides the configuration setting <see cref="SettingKey"/>.</summary>
internal sealed class SettingOption<T>(string name, string settingKey) : Option<T>(name), ISettingOption
{
    public string SettingKey { get; } = settingKey;

    public string? GetGivenValue(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.GetResult(this) is { Implicit: false } result && result.GetValueOrDefault<T>() is { } value
            ? Convert.ToString(value, CultureInfo.InvariantCulture)
            : null;
    }
}
