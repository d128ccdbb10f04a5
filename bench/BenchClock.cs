namespace Blofin.Backfill.Bench;

/// <summary>The workers' clock: system time plus an offset moved forward together with the simulator's own clock,
/// so that "30 minutes later" is the same instant for the exchange and for the backfill. Timers and delays stay
/// real time (the rate gate and the simulator's latency are measured in it).</summary>
internal sealed class BenchClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
