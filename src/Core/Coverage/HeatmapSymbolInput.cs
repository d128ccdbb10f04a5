namespace Blofin.Backfill.Coverage;

/// <summary>What <see cref="CoverageHeatmap.Build"/> needs to know about one symbol: the bars stored and the
/// bars proven absent at the exchange, and when the symbol was listed.</summary>
/// <param name="InstId">The instrument, e.g. <c>BTC-USDT</c>.</param>
/// <param name="PresentOpenTimesMs">Open times of the stored bars, Unix milliseconds UTC, in any order;
/// times outside the window are ignored.</param>
/// <param name="AbsentRanges">Bars proven absent at the exchange; parts outside the window are ignored.</param>
/// <param name="ListTimeMs">When the instrument was listed; no bar is expected before it. Null if unknown.</param>
public sealed record HeatmapSymbolInput(
    string InstId,
    IReadOnlyCollection<long> PresentOpenTimesMs,
    IReadOnlyCollection<TimeRange> AbsentRanges,
    long? ListTimeMs = null);
