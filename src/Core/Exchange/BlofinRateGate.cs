using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Exchange;

/// <summary>The one door every request to Blofin goes through in this process: both of the exchange's per-IP windows,
/// and a full stop after a 429 or a 403.</summary>
/// <remarks>
/// <para>Blofin counts a request when it arrives, which may be long after the gate let it through (a starved CPU
/// once delayed sends enough that 501 arrived within 60 s although no 61 s ever let more than 475 through). So a
/// request holds its place in each window (<see cref="RateWindow"/>) from the moment it is let through until one
/// window length W after its attempt ends (<see cref="RateGateTicket"/>): a request is let through only while the
/// requests in flight plus those ended within the last W are fewer than the window's budget.</para>
/// <para>Why no delay can overfill a window: take the requests that arrive within any span (s - W, s] and let k be
/// the last of them to take its place in the window, at g_k. A request arrives after it is let through and before
/// its attempt ends, so g_k &lt;= a_k &lt;= s, and every other one ended at c_i &gt;= a_i &gt; s - W &gt;= g_k - W: at
/// g_k it was in flight or ended within the last W, so it held a place. The span holds at most the budget; a closed
/// span [s - W, s] at most the budget plus one (c_i = g_k - W exactly), which <see cref="RateWindow.Budget"/> keeps
/// below the limit. An attempt abandoned (timeout, cancellation) ends when it is abandoned; bytes already on the
/// wire may still arrive a network delay later, which the safety margin covers.</para>
/// <para>Callers pass one at a time (<see cref="_turnstile"/>) and take the short window's place before the long
/// one's: first come, first served, so no caller is overtaken while it waits for a window. The argument above does
/// not depend on it.</para>
/// </remarks>
internal sealed class BlofinRateGate : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BlofinRateGate> _logger;
    private readonly RateWindow _shortWindow;
    private readonly RateWindow _longWindow;
    private readonly SemaphoreSlim _turnstile = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private long _resumeAtUtcTicks;
    private long _grantedCount;

    public BlofinRateGate(IOptions<BlofinOptions> options, TimeProvider timeProvider, ILogger<BlofinRateGate> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _shortWindow = new RateWindow(o.ShortWindowLimit, o.ShortWindow, o.SafetyMargin, timeProvider); // 500 requests per IP per 60 s; more suspends the IP for 5 minutes
        _longWindow = new RateWindow(o.LongWindowLimit, o.LongWindow, o.SafetyMargin, timeProvider); // 1500 requests per IP per 300 s; more suspends the IP for 1 hour
    }

    /// <summary>Until when nothing is sent (in the past when sending is allowed).</summary>
    public DateTimeOffset ResumeAtUtc => new(Interlocked.Read(ref _resumeAtUtcTicks), TimeSpan.Zero);

    /// <summary>Requests let through so far.</summary>
    internal long GrantedCount => Interlocked.Read(ref _grantedCount);

    /// <summary>Whether the caller at the head of the line waits for a window: for a request in flight to end or an
    /// ended one to leave the window (tests with a fake clock advance it only then, and once nothing is in flight).</summary>
    internal bool IsWaitingForWindow => _shortWindow.HasWaiter || _longWindow.HasWaiter;

    /// <summary>Places held in the short window: requests in flight plus those ended within its length.</summary>
    internal long ShortWindowOccupied => _shortWindow.Occupied;

    /// <summary>Waits until this request may be sent: after every caller ahead of it, outside any pause, within both
    /// windows. The request holds its place in the windows until the returned ticket is disposed, and one window
    /// length more.</summary>
    /// <returns>The ticket to dispose when the attempt ends (reply read, failed, timed out or cancelled).</returns>
    /// <exception cref="ObjectDisposedException">The gate was disposed (the host is stopping), also while waiting.</exception>
    public async Task<RateGateTicket> WaitForTurnAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        try
        {
            await _turnstile.WaitAsync(waiting.Token);
            RateLimitLease? shortLease = null;
            RateLimitLease? longLease = null;
            try
            {
                await WaitWhilePausedAsync(waiting.Token);
                shortLease = await AcquireAsync(_shortWindow, waiting.Token);
                longLease = await AcquireAsync(_longWindow, waiting.Token);

                // A 429 or 403 may have arrived while this caller waited for a window.
                await WaitWhilePausedAsync(waiting.Token);
                var ticket = new RateGateTicket(_shortWindow, shortLease, _longWindow, longLease);
                (shortLease, longLease) = (null, null);
                Interlocked.Increment(ref _grantedCount);
                return ticket;
            }
            finally
            {
                // Places taken for a request that is not sent return at once.
                longLease?.Dispose();
                shortLease?.Dispose();
                _turnstile.Release();
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(BlofinRateGate));
        }
    }

    /// <summary>Stops all sending for <paramref name="duration"/> from now (a pause already longer is kept).</summary>
    /// <returns>When sending resumes.</returns>
    public DateTimeOffset Pause(TimeSpan duration, string signal)
    {
        var resumeAt = _timeProvider.GetUtcNow() + duration;
        var ticks = resumeAt.UtcTicks;
        long seen;
        do
        {
            seen = Interlocked.Read(ref _resumeAtUtcTicks);
            if (seen >= ticks)
            {
                return new DateTimeOffset(seen, TimeSpan.Zero);
            }
        }
        while (Interlocked.CompareExchange(ref _resumeAtUtcTicks, ticks, seen) != seen);

        Log.SendingPaused(_logger, signal, duration, resumeAt);
        return resumeAt;
    }

    /// <summary>Releases the windows; callers still waiting get an <see cref="ObjectDisposedException"/> instead of
    /// waiting for ever.</summary>
    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _shortWindow.Dispose();
        _longWindow.Dispose();
        // The turnstile is not disposed: a caller leaving the gate still releases it.
    }

    private async Task<RateLimitLease> AcquireAsync(RateWindow window, CancellationToken cancellationToken)
    {
        var lease = await window.AcquireAsync(cancellationToken);
        if (!lease.IsAcquired)
        {
            // The queues are unbounded and one caller at a time queues: only disposal refuses a place.
            lease.Dispose();
            throw new ObjectDisposedException(nameof(BlofinRateGate));
        }

        return lease;
    }

    private async Task WaitWhilePausedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = ResumeAtUtc - _timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            // The pause may be extended meanwhile, hence the loop.
            await Task.Delay(remaining, _timeProvider, cancellationToken);
        }
    }
}
