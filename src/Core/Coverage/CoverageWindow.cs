using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Coverage;

/// <summary>The closed bars a symbol should have: from <see cref="StartMs"/> to <see cref="EndMs"/>,
/// both open times included; empty when <see cref="StartMs"/> is after <see cref="EndMs"/>.</summary>
public sealed record CoverageWindow(long StartMs, long EndMs, Bar Bar)
{
    private const long MillisecondsPerHour = 3_600_000;

    public long StartMs { get; } = RequireAligned(StartMs, Bar, nameof(StartMs));

    public long EndMs { get; } = RequireAligned(EndMs, Bar, nameof(EndMs));

    public Bar Bar { get; } = Bar;

    /// <summary>Whether the window holds no bar at all (e.g. the instrument was listed after its end).</summary>
    public bool IsEmpty => StartMs > EndMs;

    /// <summary>The number of bars in the window: 10,081 for 168 hours of 1m bars.</summary>
    public long ExpectedCount => IsEmpty ? 0 : ((EndMs - StartMs) / Bar.LengthMs) + 1;

    public TimeRange Range => new(StartMs, EndMs);

    public DateTimeOffset StartUtc => DateTimeOffset.FromUnixTimeMilliseconds(StartMs);

    public DateTimeOffset EndUtc => DateTimeOffset.FromUnixTimeMilliseconds(EndMs);

    public bool Contains(long openTimeMs) => !IsEmpty && Range.Contains(openTimeMs);

    /// <summary>The rolling window of a scheduled run: it ends at the last closed bar at
    /// <paramref name="now"/> (at 00:05:30 the 00:05 minute is still forming, so it ends at 00:04) and
    /// starts <paramref name="lookbackHours"/> before that, never before the listing time.</summary>
    /// <param name="listTimeMs">The instrument's listing time; the window starts at the first bar at or after it.</param>
    public static CoverageWindow ForRun(DateTimeOffset now, Bar bar, int lookbackHours, long? listTimeMs = null)
    {
        var lengthMs = BarMath.LengthOf(bar, nameof(bar));
        ArgumentOutOfRangeException.ThrowIfNegative(lookbackHours);

        var endMs = LastClosedBar(now, lengthMs);
        var startMs = BarMath.Ceiling(endMs - (lookbackHours * MillisecondsPerHour), lengthMs);
        return new CoverageWindow(ApplyListTime(startMs, listTimeMs, lengthMs), endMs, bar);
    }

    /// <summary>A manual window over <paramref name="fromMs"/>..<paramref name="toMs"/>, rounded inward
    /// to whole bars and clamped to the closed bars at <paramref name="now"/> and to the listing time.</summary>
    public static CoverageWindow Explicit(long fromMs, long toMs, Bar bar, DateTimeOffset now, long? listTimeMs = null)
    {
        var lengthMs = BarMath.LengthOf(bar, nameof(bar));
        if (fromMs > toMs)
        {
            throw new ArgumentException($"The window's start ({fromMs}) is after its end ({toMs}).", nameof(fromMs));
        }

        var startMs = BarMath.Ceiling(fromMs, lengthMs);
        var endMs = Math.Min(BarMath.Floor(toMs, lengthMs), LastClosedBar(now, lengthMs));
        return new CoverageWindow(ApplyListTime(startMs, listTimeMs, lengthMs), endMs, bar);
    }

    // The bar containing `now` is still forming; the one before it is the newest closed bar.
    private static long LastClosedBar(DateTimeOffset now, long lengthMs) =>
        BarMath.Floor(now.ToUnixTimeMilliseconds(), lengthMs) - lengthMs;

    private static long ApplyListTime(long startMs, long? listTimeMs, long lengthMs) =>
        listTimeMs is { } listed ? Math.Max(startMs, BarMath.Ceiling(listed, lengthMs)) : startMs;

    private static long RequireAligned(long openTimeMs, Bar bar, string paramName)
    {
        var lengthMs = BarMath.LengthOf(bar, nameof(bar));
        if (!BarMath.IsAligned(openTimeMs, lengthMs))
        {
            throw new ArgumentException($"{paramName} {openTimeMs} is not the open time of a {bar.Name} bar.", paramName);
        }

        return openTimeMs;
    }
}
