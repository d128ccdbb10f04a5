using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Backfill;

/// <summary>The verdict against the alert threshold: each symbol's share of the minutes the exchange has (proven
/// holes excluded) over its window less the newest <see cref="Grace"/>, which the next tick has yet to fetch.</summary>
/// <param name="Percent">The threshold, 0 to 100 (<c>Backfill:AlertBelowPercent</c>, or <c>coverage --fail-under</c>).</param>
/// <param name="Grace">The newest stretch of the window not counted (<c>Backfill:AlertGrace</c>).</param>
/// <param name="CheckedThroughUtc">The open time of the newest bar counted.</param>
/// <param name="Checked">Per symbol, coverage over the window counted.</param>
public sealed record CoverageThreshold(double Percent, TimeSpan Grace, DateTimeOffset CheckedThroughUtc, IReadOnlyList<SymbolCoverage> Checked)
{
    /// <summary>The symbols below <see cref="Percent"/>, in report order.</summary>
    public IReadOnlyList<SymbolCoverage> Below => [.. Checked.Where(coverage => coverage.AvailablePercent < Percent)];
}
