namespace Blofin.Simulator;

/// <summary>The exchange revising a confirmed 1-minute candle: from <paramref name="RevisedAtUtc"/> on (the
/// simulator's clock) it is served with its high raised by <see cref="HighTicks"/> ticks and
/// <see cref="AddedContracts"/> more volume.</summary>
/// <param name="OpenTimeMs">The minute's open time (Unix ms, a whole minute).</param>
public sealed record SimulatedRevision(string InstId, long OpenTimeMs, DateTimeOffset RevisedAtUtc)
{
    public int HighTicks { get; init; } = 1;

    public decimal AddedContracts { get; init; } = 1;
}
