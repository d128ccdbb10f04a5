namespace Blofin.Backfill.Coverage;

/// <summary>Finds the bars of a window that are neither stored nor known to be absent at the exchange.</summary>
public static class GapFinder
{
    /// <summary>The missing bars of <paramref name="window"/> as ranges, oldest first.</summary>
    /// <param name="presentOpenTimesAscending">Open times of the stored bars, ascending; times outside the
    /// window or not on a bar boundary are ignored.</param>
    /// <param name="sourceGaps">Ranges the exchange was proved not to have; they may overlap, be unsorted
    /// or reach outside the window.</param>
    public static IReadOnlyList<TimeRange> FindMissing(
        CoverageWindow window,
        IReadOnlyList<long> presentOpenTimesAscending,
        IReadOnlyList<TimeRange> sourceGaps)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(presentOpenTimesAscending);
        ArgumentNullException.ThrowIfNull(sourceGaps);
        RequireAscending(presentOpenTimesAscending, nameof(presentOpenTimesAscending));
        if (window.IsEmpty)
        {
            return [];
        }

        var lengthMs = window.Bar.LengthMs;
        var gaps = ClipToWindow(sourceGaps, window);
        var present = presentOpenTimesAscending;
        var missing = new List<TimeRange>();

        // Merge the present bars and the source gaps, both oldest first, as "covered" ranges;
        // whatever lies between two covered ranges is missing.
        var nextMs = window.StartMs; // the oldest bar not yet known to be covered
        int p = 0, g = 0;
        while (nextMs <= window.EndMs)
        {
            while (p < present.Count && (present[p] < nextMs || !BarMath.IsAligned(present[p], lengthMs)))
            {
                p++;
            }

            var presentMs = p < present.Count ? present[p] : long.MaxValue;
            var gapStartMs = g < gaps.Count ? gaps[g].StartMs : long.MaxValue;
            if (presentMs == long.MaxValue && gapStartMs == long.MaxValue)
            {
                break;
            }

            TimeRange covered;
            if (presentMs <= gapStartMs)
            {
                covered = new TimeRange(presentMs, presentMs);
                p++;
            }
            else
            {
                covered = gaps[g];
                g++;
            }

            if (covered.StartMs > window.EndMs)
            {
                break;
            }

            if (covered.StartMs > nextMs)
            {
                missing.Add(new TimeRange(nextMs, covered.StartMs - lengthMs));
            }

            nextMs = Math.Max(nextMs, covered.EndMs + lengthMs);
        }

        if (nextMs <= window.EndMs)
        {
            missing.Add(new TimeRange(nextMs, window.EndMs));
        }

        return missing;
    }

    private static void RequireAscending(IReadOnlyList<long> openTimes, string paramName)
    {
        for (var i = 1; i < openTimes.Count; i++)
        {
            if (openTimes[i] < openTimes[i - 1])
            {
                throw new ArgumentException(
                    $"Present open times must be ascending; {openTimes[i]} follows {openTimes[i - 1]} at index {i}.",
                    paramName);
            }
        }
    }

    // Rounds each gap inward to whole bars and keeps the part inside the window, oldest first.
    private static List<TimeRange> ClipToWindow(IReadOnlyList<TimeRange> sourceGaps, CoverageWindow window)
    {
        var lengthMs = window.Bar.LengthMs;
        var clipped = new List<TimeRange>(sourceGaps.Count);
        foreach (var gap in sourceGaps)
        {
            var startMs = Math.Max(BarMath.Ceiling(gap.StartMs, lengthMs), window.StartMs);
            var endMs = Math.Min(BarMath.Floor(gap.EndMs, lengthMs), window.EndMs);
            if (startMs <= endMs)
            {
                clipped.Add(new TimeRange(startMs, endMs));
            }
        }

        clipped.Sort(static (a, b) => a.StartMs.CompareTo(b.StartMs));
        return clipped;
    }
}
