namespace Blofin.Simulator;

/// <summary>An aggregated candle (any bar but <c>1m</c>) the simulator serves differently from its own 1-minute
/// data, so that a cross-check has something to find: the close moved by <see cref="CloseTicks"/> ticks (the high
/// and low stretched to hold it) and the volumes multiplied by <see cref="VolumeFactor"/>.</summary>
/// <param name="Bar">The bar, e.g. <c>1H</c>.</param>
/// <param name="OpenTimeMs">The aggregated candle's open time.</param>
public sealed record SimulatedDisagreement(string InstId, string Bar, long OpenTimeMs)
{
    public int CloseTicks { get; init; } = 1;

    public decimal VolumeFactor { get; init; } = 1;
}
