using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Coverage;

/// <summary>Turns missing ranges into the fewest candle pages that cover them.</summary>
public static class FetchPlanner
{
    /// <summary>The pages to fetch, newest first. Greedy from the newest missing bar: the cursor is
    /// one bar above it, the page covers the <paramref name="pageSize"/> bars below the cursor, its
    /// limit is trimmed to reach just the oldest missing bar in that span, and the next page starts at
    /// the newest missing bar below the span. Covering points on a line with equal intervals this way
    /// is optimal, so the page count is the minimum.</summary>
    /// <param name="missing">Missing ranges (any order; overlapping or adjacent ranges are merged).</param>
    public static IReadOnlyList<PageRequest> Plan(IReadOnlyList<TimeRange> missing, Bar bar, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var lengthMs = BarMath.LengthOf(bar, nameof(bar));
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);

        var ranges = Normalize(missing, lengthMs);
        var pages = new List<PageRequest>();
        var i = ranges.Count - 1;
        var topMs = i >= 0 ? ranges[i].EndMs : 0; // the newest missing bar no page covers yet; it lies in ranges[i]
        while (i >= 0)
        {
            // Blofin's cursor is exclusive: after = newest wanted bar + one bar.
            var afterMs = topMs + lengthMs;
            var spanStartMs = afterMs - (pageSize * lengthMs);
            var lowestMs = topMs;
            while (i >= 0)
            {
                var rangeTopMs = Math.Min(ranges[i].EndMs, topMs);
                if (rangeTopMs < spanStartMs)
                {
                    topMs = rangeTopMs; // the next page starts here
                    break;
                }

                if (ranges[i].StartMs >= spanStartMs)
                {
                    lowestMs = ranges[i].StartMs; // the whole range fits in this page
                    i--;
                    continue;
                }

                lowestMs = spanStartMs; // the range is cut: its older part goes to the next page
                topMs = spanStartMs - lengthMs;
                break;
            }

            pages.Add(new PageRequest(afterMs, checked((int)((afterMs - lowestMs) / lengthMs))));
        }

        return pages;
    }

    private static List<TimeRange> Normalize(IReadOnlyList<TimeRange> missing, long lengthMs)
    {
        var sorted = new List<TimeRange>(missing.Count);
        foreach (var range in missing)
        {
            if (range.EndMs < range.StartMs || !BarMath.IsAligned(range.StartMs, lengthMs) || !BarMath.IsAligned(range.EndMs, lengthMs))
            {
                throw new ArgumentException($"Missing range {range} is empty or not on bar boundaries.", nameof(missing));
            }

            sorted.Add(range);
        }

        sorted.Sort(static (a, b) => a.StartMs.CompareTo(b.StartMs));
        var merged = new List<TimeRange>(sorted.Count);
        foreach (var range in sorted)
        {
            if (merged.Count > 0 && range.StartMs <= merged[^1].EndMs + lengthMs)
            {
                merged[^1] = merged[^1] with { EndMs = Math.Max(merged[^1].EndMs, range.EndMs) };
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }
}
