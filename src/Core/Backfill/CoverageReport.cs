using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Backfill;

/// <summary>Coverage of every reported symbol at one instant, over the rolling window ending then.</summary>
public sealed record CoverageReport(DateTimeOffset GeneratedAtUtc, string Bar, int LookbackHours, IReadOnlyList<SymbolCoverage> Symbols)
{
    /// <summary>The verdict against the alert threshold; null when the report was built without one.</summary>
    public CoverageThreshold? Threshold { get; init; }
}
