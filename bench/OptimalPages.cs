namespace Blofin.Backfill.Bench;

/// <summary>An independent count of the fewest pages that cover a set of missing bars, to check the planner
/// against: every page is <c>pageSize</c> consecutive bars below its cursor, so covering points on a line with
/// fixed-length intervals, greedily from the newest uncovered point, is optimal.</summary>
internal static class OptimalPages
{
    public static int Count(IEnumerable<long> missingOpenTimesMs, int pageSize, long barMs)
    {
        var newestFirst = missingOpenTimesMs.Distinct().OrderDescending().ToArray();
        var pages = 0;
        var i = 0;
        while (i < newestFirst.Length)
        {
            // A page whose cursor is one bar above this point covers it and the pageSize - 1 bars below.
            var lowestCovered = newestFirst[i] - ((pageSize - 1) * barMs);
            pages++;
            while (i < newestFirst.Length && newestFirst[i] >= lowestCovered)
            {
                i++;
            }
        }

        return pages;
    }
}
