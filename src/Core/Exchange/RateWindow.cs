using System.Threading.RateLimiting;

namespace Blofin.Backfill.Exchange;

/// <summary>One of Blofin's per-IP request windows: a request holds one of the window's permits from the moment
/// it is let through until one window length after its attempt ends, on the injected <see cref="TimeProvider"/>.</summary>
/// <remarks>
/// The exchange counts a request when it arrives, and nothing bounds how long after being let through that is: a
/// starved CPU, a slow connection or a queue in the socket can hold the send for seconds. Counting at the grant, as
/// <see cref="SlidingWindowRateLimiter"/> does, then lets the next window's requests land on top of the late ones.
/// That limiter cannot count until completion: its permits are consumed at acquire and return only when their
/// segment slides out, whatever the request does meanwhile; disposing its lease does nothing. So the window is a
/// <see cref="ConcurrencyLimiter"/> (its lease returns its permit when disposed; it queues, cancels and refuses on
/// disposal as the library does) whose lease is disposed one window after the attempt ends, by a timer of the
/// injected clock: in flight plus ended within the last window never exceeds <see cref="Permits"/>. The exact rule
/// needs no segments, so a fake clock drives it by its timers alone.
/// </remarks>
internal sealed class RateWindow : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrencyLimiter _limiter;
    private readonly HashSet<PendingRelease> _releases = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    public RateWindow(int limit, TimeSpan window, double safetyMargin, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        Permits = Budget(limit, safetyMargin);
        ArgumentOutOfRangeException.ThrowIfLessThan(Permits, 1, nameof(limit));
        Length = window;
        _timeProvider = timeProvider;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Permits,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Requests in flight or ended within the last <see cref="Length"/>, at most.</summary>
    public int Permits { get; }

    /// <summary>The exchange's window.</summary>
    public TimeSpan Length { get; }

    /// <summary>Whether a caller waits for a permit (the window is full).</summary>
    public bool HasWaiter => _limiter.GetStatistics() is { CurrentQueuedCount: > 0 };

    /// <summary>Permits held now: requests in flight plus those ended within the last window.</summary>
    public long Occupied => Permits - (_limiter.GetStatistics()?.CurrentAvailablePermits ?? 0);

    /// <summary>The requests a window may let through: the limit less the safety margin, and always at least one
    /// below the limit (see <see cref="BlofinRateGate"/> for why a closed span may hold one more).</summary>
    public static int Budget(int limit, double safetyMargin) =>
        (int)Math.Min(Math.Floor(limit * (1m - (decimal)safetyMargin)), limit - 1);

    /// <summary>Waits for a permit; the lease is not acquired only if the window was disposed meanwhile.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) =>
        _limiter.AcquireAsync(1, cancellationToken);

    /// <summary>The attempt holding <paramref name="lease"/> ended now: its permit returns one window from now.</summary>
    public void ReleaseAfterWindow(RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (!_disposed)
            {
                // Created stopped and started once in the set, so its callback always finds itself there.
                var release = new PendingRelease(this, lease);
                release.Timer = _timeProvider.CreateTimer(static state => ((PendingRelease)state!).Run(), release, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _releases.Add(release);
                release.Timer.Change(Length, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        lease.Dispose();
    }

    public void Dispose()
    {
        PendingRelease[] pending;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            pending = [.. _releases];
            _releases.Clear();
        }

        foreach (var release in pending)
        {
            release.Timer?.Dispose();
        }

        // Callers still queued get a lease that is not acquired.
        _limiter.Dispose();
    }

    private void Complete(PendingRelease release)
    {
        lock (_lock)
        {
            if (!_releases.Remove(release))
            {
                return;
            }
        }

        release.Timer?.Dispose();
        release.Lease.Dispose();
    }

    /// <summary>A permit on its way back: the lease and the timer that returns it.</summary>
    private sealed class PendingRelease(RateWindow window, RateLimitLease lease)
    {
        public RateLimitLease Lease { get; } = lease;

        public ITimer? Timer { get; set; }

        public void Run() => window.Complete(this);
    }
}
