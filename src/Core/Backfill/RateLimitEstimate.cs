using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Backfill;

/// <summary>How long the exchange's two per-IP windows alone take to let a number of requests through.</summary>
internal static class RateLimitEstimate
{
    /// <summary>The time from the first request to the last when both windows start empty and nothing else uses
    /// them: request i (from 0) waits for i / budget whole windows of each kind. Network time is not included.</summary>
    public static TimeSpan Of(int requests, BlofinOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (requests <= 1)
        {
            return TimeSpan.Zero;
        }

        var last = requests - 1;
        var shortWait = limits.ShortWindow * (last / RateWindow.Budget(limits.ShortWindowLimit, limits.SafetyMargin));
        var longWait = limits.LongWindow * (last / RateWindow.Budget(limits.LongWindowLimit, limits.SafetyMargin));
        return shortWait > longWait ? shortWait : longWait;
    }

    /// <summary>The windows as a person reads them: <c>475/60s, 1425/300s</c>.</summary>
    public static string Describe(BlofinOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return FormattableString.Invariant(
            $"{RateWindow.Budget(limits.ShortWindowLimit, limits.SafetyMargin)}/{limits.ShortWindow.TotalSeconds}s, {RateWindow.Budget(limits.LongWindowLimit, limits.SafetyMargin)}/{limits.LongWindow.TotalSeconds}s");
    }
}
