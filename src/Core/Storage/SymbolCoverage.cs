using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Storage;

/// <summary>How complete one symbol is over a window. Every bar of the window is exactly one of: present
/// (stored), a source gap (known absent at the exchange, not stored) or missing (still to fetch).</summary>
/// <param name="PresentCount">Bars of the window that are stored.</param>
/// <param name="SourceGapCount">Bars of the window known absent at the exchange (and not stored).</param>
/// <param name="MissingCount">Bars of the window still to fetch.</param>
/// <param name="MissingRangeCount">Runs of consecutive missing bars.</param>
/// <param name="LargestMissingRange">The longest run of missing bars (the newest of equals); null if none.</param>
/// <param name="LastRun">The latest recorded run of the symbol and bar; null if none.</param>
public sealed record SymbolCoverage(
    string InstId,
    Bar Bar,
    CoverageWindow Window,
    long PresentCount,
    long SourceGapCount,
    long MissingCount,
    int MissingRangeCount,
    TimeRange? LargestMissingRange,
    GapFillRun? LastRun)
{
    public long ExpectedCount => Window.ExpectedCount;

    /// <summary>Stored bars as a share of the window, 0 to 100 (100 for an empty window).</summary>
    public double PresentPercent => Percent(PresentCount);

    /// <summary>Bars the exchange has (the window less the bars proven absent there).</summary>
    public long AvailableCount => ExpectedCount - SourceGapCount;

    /// <summary>Stored bars as a share of the bars the exchange has, 0 to 100 (100 when it has none).</summary>
    public double AvailablePercent => AvailableCount <= 0 ? 100.0 : 100.0 * PresentCount / AvailableCount;

    /// <summary>Bars that need no more fetching (stored or known absent) as a share of the window, 0 to 100.</summary>
    public double SettledPercent => Percent(PresentCount + SourceGapCount);

    private double Percent(long count) => ExpectedCount == 0 ? 100.0 : 100.0 * count / ExpectedCount;
}
