namespace Blofin.Backfill.Bench;

/// <summary>The exact lower bound on a rate-bound fill: every request sent at the earliest instant the exchange's
/// windows allow, plus one request's latency for the last reply.</summary>
/// <remarks>
/// The exchange (and the simulator) admit a request at t when fewer than the limit were admitted in (t - W, t].
/// Sending greedily, request j goes at max(t[j-1], t[j-L1] + W1, t[j-L2] + W2): no schedule that respects both
/// windows can send request j sooner (by induction, t[j-L] is already the earliest possible), so the last of them
/// cannot go out sooner either.
/// </remarks>
internal static class RateFloor
{
    /// <summary>When request number <paramref name="requests"/> can have been sent at the earliest, from 0.</summary>
    public static TimeSpan LastSendTime(int requests, RateLimit shortWindow, RateLimit longWindow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        if (requests == 0)
        {
            return TimeSpan.Zero;
        }

        var sent = new long[requests];
        for (var j = 0; j < requests; j++)
        {
            var t = j == 0 ? 0 : sent[j - 1];
            if (j >= shortWindow.Limit)
            {
                t = Math.Max(t, sent[j - shortWindow.Limit] + shortWindow.Window.Ticks);
            }

            if (j >= longWindow.Limit)
            {
                t = Math.Max(t, sent[j - longWindow.Limit] + longWindow.Window.Ticks);
            }

            sent[j] = t;
        }

        return TimeSpan.FromTicks(sent[^1]);
    }

    /// <summary>The floor of a fill of <paramref name="requests"/> requests: the last send plus its reply's latency.</summary>
    public static TimeSpan Compute(int requests, RateLimit shortWindow, RateLimit longWindow, TimeSpan latency) =>
        requests == 0 ? TimeSpan.Zero : LastSendTime(requests, shortWindow, longWindow) + latency;

    /// <summary>The most of <paramref name="sortedTimes"/> in any span (t - window, t], as the exchange counts.</summary>
    public static int Busiest(IReadOnlyList<DateTimeOffset> sortedTimes, TimeSpan window)
    {
        var most = 0;
        var start = 0;
        for (var end = 0; end < sortedTimes.Count; end++)
        {
            while (sortedTimes[start] <= sortedTimes[end] - window)
            {
                start++;
            }

            most = Math.Max(most, end - start + 1);
        }

        return most;
    }
}
