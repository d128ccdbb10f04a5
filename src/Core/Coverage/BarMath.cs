using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Coverage;

/// <summary>Alignment arithmetic on bar open times (Unix milliseconds).</summary>
internal static class BarMath
{
    /// <summary>The bar's length in milliseconds; throws for a bar whose open times are not whole
    /// multiples of a fixed length (<c>1M</c>) or for <c>default(Bar)</c>.</summary>
    public static long LengthOf(Bar bar, string paramName)
    {
        if (bar.LengthMs <= 0 || !bar.HasFixedLength)
        {
            throw new ArgumentException(
                $"Bar '{bar.Name}' has no fixed length; coverage is only defined for bars whose open times are multiples of their length.",
                paramName);
        }

        return bar.LengthMs;
    }

    /// <summary>The open time of the bar that contains <paramref name="ms"/>.</summary>
    public static long Floor(long ms, long lengthMs)
    {
        var remainder = ms % lengthMs;
        return remainder < 0 ? ms - remainder - lengthMs : ms - remainder;
    }

    /// <summary>The first bar open time at or after <paramref name="ms"/>.</summary>
    public static long Ceiling(long ms, long lengthMs)
    {
        var floor = Floor(ms, lengthMs);
        return floor == ms ? ms : floor + lengthMs;
    }

    public static bool IsAligned(long ms, long lengthMs) => ms % lengthMs == 0;
}
