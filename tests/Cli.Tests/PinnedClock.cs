namespace Blofin.Backfill.Cli;

/// <summary>Real time, moved so that it starts at a chosen instant: timers, delays and leases behave as in
/// production, while the minute a test starts in (and so every window, page count and bar) is fixed.</summary>
/// <remarks>A FakeTimeProvider would stop the clock, and with it the rate gate's windows, the retries' delays and
/// the queue drainer's polls; starting one second into a minute leaves a test 59 seconds before the minute turns.</remarks>
internal sealed class PinnedClock(DateTimeOffset startUtc) : TimeProvider
{
    private readonly long _started = System.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => startUtc + System.GetElapsedTime(_started);
}
