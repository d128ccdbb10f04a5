using System.Text.Json;
using System.Text.Json.Serialization;
using Blofin.Backfill.Coverage;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Backfill;

/// <summary>The coverage JSON document, the same for <c>coverage --json</c> and <c>GET /api/coverage</c>.</summary>
public sealed record CoverageDocument(DateTimeOffset GeneratedAtUtc, string Bar, int LookbackHours, IReadOnlyList<SymbolCoverageDocument> Symbols)
{
    /// <summary>The alert threshold, percent of the minutes the exchange has; null when not judged.</summary>
    public double? Threshold { get; init; }

    /// <summary>The newest minute counted against <see cref="Threshold"/> (the newest <c>Backfill:AlertGrace</c>
    /// of each window is left for the next tick).</summary>
    public DateTimeOffset? ThresholdCheckedThroughUtc { get; init; }

    /// <summary>The symbols below <see cref="Threshold"/>; empty when none is (or nothing was judged).</summary>
    public IReadOnlyList<BelowThresholdDocument> BelowThreshold { get; init; } = [];

    public static CoverageDocument From(CoverageReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new CoverageDocument(report.GeneratedAtUtc, report.Bar, report.LookbackHours, [.. report.Symbols.Select(SymbolCoverageDocument.From)])
        {
            Threshold = report.Threshold?.Percent,
            ThresholdCheckedThroughUtc = report.Threshold?.CheckedThroughUtc,
            BelowThreshold = report.Threshold is { } threshold ? [.. threshold.Below.Select(BelowThresholdDocument.From)] : [],
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, CoverageJsonContext.Default.CoverageDocument);
}

/// <summary>One symbol of <see cref="CoverageDocument"/>.</summary>
/// <param name="Percent">Stored bars as a share of the window.</param>
/// <param name="PercentOfAvailable">Stored bars as a share of the bars the exchange has (the window less the bars proven absent).</param>
public sealed record SymbolCoverageDocument(
    string InstId,
    DateTimeOffset WindowStartUtc,
    DateTimeOffset WindowEndUtc,
    long Expected,
    long Present,
    long AbsentAtExchange,
    long Missing,
    int MissingRanges,
    RangeDocument? LargestMissingRange,
    double Percent,
    double PercentOfAvailable,
    LastRunDocument? LastRun)
{
    public static SymbolCoverageDocument From(SymbolCoverage coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        var available = coverage.ExpectedCount - coverage.SourceGapCount;
        return new SymbolCoverageDocument(
            coverage.InstId,
            coverage.Window.StartUtc,
            coverage.Window.EndUtc,
            coverage.ExpectedCount,
            coverage.PresentCount,
            coverage.SourceGapCount,
            coverage.MissingCount,
            coverage.MissingRangeCount,
            coverage.LargestMissingRange is { } range ? RangeDocument.From(range, coverage.Bar.LengthMs) : null,
            Math.Round(coverage.PresentPercent, 4),
            Math.Round(available <= 0 ? 100.0 : 100.0 * coverage.PresentCount / available, 4),
            coverage.LastRun is { } run ? LastRunDocument.From(run) : null);
    }
}

/// <summary>A symbol below the alert threshold, with the figures it was judged on.</summary>
/// <param name="PercentOfAvailable">Stored bars as a share of the bars the exchange has, over the counted window.</param>
public sealed record BelowThresholdDocument(string InstId, double PercentOfAvailable, long Present, long Available, long Missing)
{
    public static BelowThresholdDocument From(SymbolCoverage coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);

        // Rounded down, so a symbol just below the threshold never reads as at it.
        return new BelowThresholdDocument(
            coverage.InstId, Math.Floor(coverage.AvailablePercent * 10_000) / 10_000, coverage.PresentCount, coverage.AvailableCount, coverage.MissingCount);
    }
}

/// <summary>A run of bars: its first and last open time and how many bars it holds.</summary>
public sealed record RangeDocument(DateTimeOffset FromUtc, DateTimeOffset ToUtc, long Bars)
{
    public static RangeDocument From(TimeRange range, long barMs) =>
        new(DateTimeOffset.FromUnixTimeMilliseconds(range.StartMs), DateTimeOffset.FromUnixTimeMilliseconds(range.EndMs), ((range.EndMs - range.StartMs) / barMs) + 1);
}

/// <summary>The last recorded run of a symbol, as the coverage document shows it.</summary>
public sealed record LastRunDocument(string Status, string Trigger, DateTimeOffset StartedAtUtc, DateTimeOffset FinishedAtUtc, int Requests, int Inserted, string? Error)
{
    public static LastRunDocument From(GapFillRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new LastRunDocument(
            run.Status.ToString().ToLowerInvariant(),
            run.Trigger,
            DateTimeOffset.FromUnixTimeMilliseconds(run.StartedAtMs),
            DateTimeOffset.FromUnixTimeMilliseconds(run.FinishedAtMs),
            run.Requests,
            run.Inserted,
            run.Error);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CoverageDocument))]
internal sealed partial class CoverageJsonContext : JsonSerializerContext;
