namespace Blofin.Backfill.Coverage;

/// <summary>One symbol's line of the coverage heatmap: its hours, oldest first, and its coverage over the window.</summary>
/// <param name="InstId">The instrument, e.g. <c>BTC-USDT</c>.</param>
/// <param name="CoveragePercent">Bars present as a share of the bars expected over the whole window, 0 to 100.</param>
/// <param name="Hours">One cell per UTC hour the window touches, the hour holding the window's start first.</param>
public sealed record HeatmapRow(string InstId, double CoveragePercent, IReadOnlyList<HeatmapCell> Hours);
