using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Exchange;

/// <summary>The one door every request to Blofin goes through in this process: both of the exchange's per-IP windows,
/// and a full stop after a 429 or a 403.</summary>
/// <remarks>
/// Callers pass one at a time (<see cref="_turnstile"/>), because the chained limiter takes its permits one window
/// after the other: a caller could hold a short-window permit, counted now, while it waits minutes for the long
/// window, and then be sent on top of the requests the short window let through meanwhile. One at a time, request
/// i is counted no later than it is sent and sent no later than request i + 1 is counted, so of the requests sent in
/// any span only the first can have been counted before the span began: a window holds at most its budget plus one,
/// and <see cref="RateWindow.Budget"/> keeps the budget at least one below the exchange's limit.
/// </remarks>
internal sealed class BlofinRateGate : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BlofinRateGate> _logger;
    private readonly RateWindow _shortWindow;
    private readonly RateWindow _longWindow;
    private readonly RateLimiter _limiter;
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
        _limiter = RateLimiter.CreateChained(_shortWindow.Limiter, _longWindow.Limiter);
    }

    /// <summary>Until when nothing is sent (in the past when sending is allowed).</summary>
    public DateTimeOffset ResumeAtUtc => new(Interlocked.Read(ref _resumeAtUtcTicks), TimeSpan.Zero);

    /// <summary>Requests let through so far.</summary>
    internal long GrantedCount => Interlocked.Read(ref _grantedCount);

    /// <summary>Whether the caller at the head of the line waits for a window to slide, i.e. nothing moves until the
    /// clock does (tests with a fake clock advance it only then).</summary>
    internal bool IsWaitingForWindow => _limiter.GetStatistics() is { CurrentQueuedCount: > 0 };

    /// <summary>Waits until this request may be sent: after every caller ahead of it, outside any pause, within both
    /// windows. The request counts against the windows from the moment this returns.</summary>
    /// <exception cref="ObjectDisposedException">The gate was disposed (the host is stopping), also while waiting.</exception>
    public async Task WaitForTurnAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        try
        {
            await _turnstile.WaitAsync(waiting.Token);
            try
            {
                await WaitWhilePausedAsync(waiting.Token);
                using var lease = await _limiter.AcquireAsync(1, waiting.Token);
                // The queues are unbounded and one caller at a time queues: only disposal refuses a permit.
                ObjectDisposedException.ThrowIf(!lease.IsAcquired, this);

                // A 429 or 403 may have arrived while this caller waited for a window.
                await WaitWhilePausedAsync(waiting.Token);
                Interlocked.Increment(ref _grantedCount);
            }
            finally
            {
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
        _limiter.Dispose();
        _shortWindow.Dispose();
        _longWindow.Dispose();
        // The turnstile is not disposed: a caller leaving the gate still releases it.
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
