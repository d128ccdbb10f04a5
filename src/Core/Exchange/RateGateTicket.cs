using System.Threading.RateLimiting;

namespace Blofin.Backfill.Exchange;

/// <summary>One attempt's place in both of Blofin's windows, held from the moment <see cref="BlofinRateGate"/> lets it
/// through. Dispose it when the attempt ends (the reply read to its last byte, a failure, a timeout or a cancellation):
/// the place is freed one window length later. A ticket never disposed keeps its place for ever.</summary>
internal sealed class RateGateTicket : IDisposable
{
    private readonly RateWindow _shortWindow;
    private readonly RateLimitLease _shortLease;
    private readonly RateWindow _longWindow;
    private readonly RateLimitLease _longLease;
    private int _ended;

    internal RateGateTicket(RateWindow shortWindow, RateLimitLease shortLease, RateWindow longWindow, RateLimitLease longLease)
    {
        _shortWindow = shortWindow;
        _shortLease = shortLease;
        _longWindow = longWindow;
        _longLease = longLease;
    }

    /// <summary>Ends the attempt now (only the first call counts).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        _shortWindow.ReleaseAfterWindow(_shortLease);
        _longWindow.ReleaseAfterWindow(_longLease);
    }
}
