using System.CommandLine;
using System.Globalization;
using Blofin.Backfill.Backfill;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>coverage --fail-under PCT</c>: exit 3 when a symbol is below PCT of the minutes the exchange has.</summary>
internal static class CoverageThresholdOption
{
    public static Option<double?> Create()
    {
        var option = new Option<double?>("--fail-under")
        {
            Description = "Exit with code 3 when any symbol holds less than this percent of the minutes the exchange has (proven holes excluded; the newest Backfill:AlertGrace of the window, 35 min by default, is not counted).",
            HelpName = "percent",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value && (double.IsNaN(value) || value < 0 || value > 100))
            {
                result.AddError("--fail-under takes a percent from 0 to 100.");
            }
        });
        return option;
    }

    /// <summary>The report judged against <paramref name="failUnder"/> instead of <c>Backfill:AlertBelowPercent</c>.</summary>
    public static CoverageReport Apply(CoverageReport report, double? failUnder) =>
        failUnder is { } percent && report.Threshold is { } threshold
            ? report with { Threshold = threshold with { Percent = percent } }
            : report;

    /// <summary>The exit code: <see cref="ExitCodes.BelowThreshold"/>, with the symbols named on standard error, when
    /// <c>--fail-under</c> was given and a symbol is below it.</summary>
    public static async Task<int> VerdictAsync(TextWriter error, CoverageReport report, double? failUnder)
    {
        if (failUnder is null || report.Threshold is not { } threshold || threshold.Below.Count == 0)
        {
            return ExitCodes.Success;
        }

        var names = string.Join(", ", BelowThresholdNames(threshold));
        await error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"below {threshold.Percent}% of the minutes the exchange has (counted through {threshold.CheckedThroughUtc.UtcDateTime:yyyy-MM-dd HH:mm}Z): {names}"));
        return ExitCodes.BelowThreshold;
    }

    private static IEnumerable<string> BelowThresholdNames(CoverageThreshold threshold) =>
        threshold.Below.Select(symbol => string.Create(
            CultureInfo.InvariantCulture,
            $"{symbol.InstId} {Math.Floor(symbol.AvailablePercent * 100) / 100:0.00}% ({symbol.MissingCount} missing)"));
}
