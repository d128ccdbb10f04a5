namespace Blofin.Simulator;

/// <summary>The system clock plus an offset that only grows: the clock of the executable and of a simulator started
/// without a <see cref="TimeProvider"/>, moved forward through the admin endpoint.</summary>
internal sealed class SimulatorClock : TimeProvider
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
