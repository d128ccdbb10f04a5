namespace Blofin.Backfill.Coverage;

/// <summary>A run of bars proven absent at the exchange, given by the open times of its first and last bar, both included.</summary>
/// <param name="StartMs">Open time of the oldest bar, Unix milliseconds UTC.</param>
/// <param name="EndMs">Open time of the newest bar, Unix milliseconds UTC (included).</param>
public readonly record struct HeatmapRange(long StartMs, long EndMs);
