using System.Globalization;
using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Coverage;

/// <summary>A run of bars given by the open times of its first and last bar, both included.</summary>
/// <param name="StartMs">Open time of the oldest bar, Unix milliseconds UTC.</param>
/// <param name="EndMs">Open time of the newest bar, Unix milliseconds UTC (inclusive).</param>
public readonly record struct TimeRange(long StartMs, long EndMs)
{
    /// <summary>The number of bars in the range (0 when <see cref="EndMs"/> is before <see cref="StartMs"/>).</summary>
    public long Count(Bar bar)
    {
        var lengthMs = BarMath.LengthOf(bar, nameof(bar));
        return EndMs < StartMs ? 0 : ((EndMs - StartMs) / lengthMs) + 1;
    }

    /// <summary>Whether the bar opening at <paramref name="openTimeMs"/> lies in the range.</summary>
    public bool Contains(long openTimeMs) => openTimeMs >= StartMs && openTimeMs <= EndMs;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Format(StartMs)}..{Format(EndMs)}");

    private static string Format(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
