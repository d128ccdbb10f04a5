namespace Blofin.Backfill.Coverage;

/// <summary>Everything the coverage heatmap shows: the window, the bar, one row per symbol and when it was made.</summary>
/// <param name="WindowStartUtc">Open time of the window's first bar.</param>
/// <param name="WindowEndUtc">Open time of the window's last bar (included, as in <c>CoverageWindow</c>).</param>
/// <param name="Bar">The bar's name as Blofin spells it, e.g. <c>1m</c>.</param>
/// <param name="Rows">One row per symbol, drawn top to bottom in this order; every row has one cell per
/// UTC hour from the hour holding <paramref name="WindowStartUtc"/> to the hour holding <paramref name="WindowEndUtc"/>.</param>
/// <param name="GeneratedAtUtc">When the coverage was read.</param>
public sealed record HeatmapData(
    DateTimeOffset WindowStartUtc,
    DateTimeOffset WindowEndUtc,
    string Bar,
    IReadOnlyList<HeatmapRow> Rows,
    DateTimeOffset GeneratedAtUtc)
{
    /// <summary>The number of hour columns: the UTC hours the window touches (the first and last may be partial).</summary>
    public int HourCount => CoverageHeatmap.HourCount(WindowStartUtc, WindowEndUtc);
}
