using System.CommandLine;

namespace Blofin.Backfill.Cli;

/// <summary>An option that stands for one configuration setting (<c>--bar</c> for <c>Backfill:Bar</c>), so a
/// value from the command line and one from the environment are bound and validated by the same code.</summary>
internal interface ISettingOption
{
    /// <summary>The option's name as typed, such as <c>--bar</c>.</summary>
    string Name { get; }

    /// <summary>The configuration key the option overrides, such as <c>Backfill:Bar</c>.</summary>
    string SettingKey { get; }

    /// <summary>The value given on the command line, formatted for configuration; null when not given.</summary>
    string? GetGivenValue(ParseResult parsed);
}
