using System.Threading.RateLimiting;

namespace Blofin.Backfill.Exchange;

/// <summary>One of Blofin's per-IP request windows as a sliding-window limiter whose segments are moved by the
/// injected <see cref="TimeProvider"/>, so a fake clock drives it in tests.</summary>
internal sealed class RateWindow : IDisposable
{
    /// <summary>The exchange's window is cut into this many segments (1 s of Blofin's 60 s window, 5 s of its 300 s).</summary>
    internal const int SegmentsPerExchangeWindow = 60;

    private readonly ITimer _timer;

    public RateWindow(int limit, TimeSpan window, double safetyMargin, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Permits = Budget(limit, safetyMargin);
        ArgumentOutOfRangeException.ThrowIfLessThan(Permits, 1, nameof(limit));
        Segment = window / SegmentsPerExchangeWindow;
        Limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = Permits,
            // A request counts in the segment that let it through. A span as long as the exchange's window, however
            // it falls across segment borders, touches at most SegmentsPerExchangeWindow + 1 segments; the limiter
            // counts over that many, so no such span can hold more than Permits.
            SegmentsPerWindow = SegmentsPerExchangeWindow + 1,
            // The timer below moves the window, one segment per tick of the injected clock. The limiter would also
            // skip a TryReplenish that comes sooner than Window / SegmentsPerWindow of real (Stopwatch) time, which a
            // fake clock never lets pass; this nominal Window makes that quotient zero, so every tick counts.
            Window = TimeSpan.FromTicks(1),
            AutoReplenishment = false,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _timer = timeProvider.CreateTimer(static state => ((ReplenishingRateLimiter)state!).TryReplenish(), Limiter, Segment, Segment);
    }

    /// <summary>Requests let through per exchange window.</summary>
    public int Permits { get; }

    /// <summary>How often the window slides.</summary>
    public TimeSpan Segment { get; }

    public SlidingWindowRateLimiter Limiter { get; }

    /// <summary>The requests a window may let through: the limit less the safety margin, and always at least one
    /// below the limit, the one request the gate's argument allows to be counted early (see <see cref="BlofinRateGate"/>).</summary>
    public static int Budget(int limit, double safetyMargin) =>
        (int)Math.Min(Math.Floor(limit * (1m - (decimal)safetyMargin)), limit - 1);

    public void Dispose()
    {
        _timer.Dispose();
        Limiter.Dispose();
    }
}
