using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Coverage;

public sealed class FetchPlannerTests
{
    private const long Minute = 60_000;
    private const long T0 = 1_736_121_600_000; // 2025-01-06T00:00Z
    private static readonly Bar OneMinute = Bar.OneMinute;

    private static long M(int minute) => T0 + (minute * Minute);

    private static TimeRange R(int fromMinute, int toMinute) => new(M(fromMinute), M(toMinute));

    [Fact]
    public void Plan_NothingMissing_ReturnsNoPages()
    {
        Assert.Empty(FetchPlanner.Plan([], OneMinute, 1440));
    }

    [Fact]
    public void Plan_Full168HourWindow_ReturnsEightPages()
    {
        var window = CoverageWindow.ForRun(DateTimeOffset.FromUnixTimeMilliseconds(T0).AddSeconds(330), OneMinute, 168);

        var pages = FetchPlanner.Plan([window.Range], OneMinute, 1440);

        Assert.Equal(8, pages.Count);
        Assert.Equal(new PageRequest(window.EndMs + Minute, 1440), pages[0]);
        Assert.Equal([1440, 1440, 1440, 1440, 1440, 1440, 1440, 1], pages.Select(p => p.Limit));
        Assert.Equal(window.StartMs, pages[^1].Span(OneMinute).StartMs);
    }

    [Fact]
    public void Plan_OneMissingBar_AsksForThatBarOnly()
    {
        var pages = FetchPlanner.Plan([R(7, 7)], OneMinute, 1440);

        Assert.Equal([new PageRequest(M(8), 1)], pages);
    }

    [Fact]
    public void Plan_NearbyGaps_ShareOnePage()
    {
        var pages = FetchPlanner.Plan([R(0, 2), R(10, 12), R(100, 101)], OneMinute, 200);

        Assert.Equal([new PageRequest(M(102), 102)], pages);
    }

    [Fact]
    public void Plan_OldestMissingBarInsideSpan_TrimsTheLimitToReachIt()
    {
        var pages = FetchPlanner.Plan([R(50, 50), R(95, 99)], OneMinute, 100);

        Assert.Equal([new PageRequest(M(100), 50)], pages);
    }

    [Fact]
    public void Plan_LongGap_TakesConsecutivePages()
    {
        var pages = FetchPlanner.Plan([R(0, 249)], OneMinute, 100);

        Assert.Equal([new PageRequest(M(250), 100), new PageRequest(M(150), 100), new PageRequest(M(50), 50)], pages);
    }

    [Fact]
    public void Plan_GapsFurtherApartThanAPage_TakeOnePageEach()
    {
        var pages = FetchPlanner.Plan([R(0, 0), R(500, 509)], OneMinute, 100);

        Assert.Equal([new PageRequest(M(510), 10), new PageRequest(M(1), 1)], pages);
    }

    [Fact]
    public void Plan_UnsortedOverlappingRanges_PlanAsTheirUnion()
    {
        var pages = FetchPlanner.Plan([R(40, 60), R(0, 10), R(5, 45)], OneMinute, 100);

        Assert.Equal([new PageRequest(M(61), 61)], pages);
    }

    [Fact]
    public void Plan_HourBars_StepByTheHour()
    {
        const long Hour = 3_600_000;
        var pages = FetchPlanner.Plan([new TimeRange(T0, T0 + (4 * Hour))], Bar.OneHour, 2);

        Assert.Equal([new PageRequest(T0 + (5 * Hour), 2), new PageRequest(T0 + (3 * Hour), 2), new PageRequest(T0 + Hour, 1)], pages);
    }

    [Fact]
    public void Plan_RangeNotOnBarBoundaries_Throws()
    {
        Assert.Throws<ArgumentException>(() => FetchPlanner.Plan([new TimeRange(M(1) + 1, M(3))], OneMinute, 100));
    }

    [Fact]
    public void Plan_PageSizeBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FetchPlanner.Plan([R(1, 3)], OneMinute, 0));
    }

    [Fact]
    public void Plan_EarlierToolCase2023Of10081MinutesStoredScattered_NeedsTheOptimalPageCount()
    {
        // The earlier tool left 2,023 of the 10,081 minutes of a week, spread over the window.
        var window = new CoverageWindow(M(0), M(10_080), OneMinute);
        var stored = Enumerable.Range(0, 10_081).ToArray();
        new Random(2023).Shuffle(stored);
        var present = stored.Take(2_023).Order().Select(M).ToList();
        var missing = GapFinder.FindMissing(window, present, []);

        var pages = FetchPlanner.Plan(missing, OneMinute, 1440);

        var missingBars = MissingBars(missing);
        Assert.Equal(8_058, missingBars.Count);
        Assert.Equal(OptimalPageCount(missingBars, 1440), pages.Count);
        AssertCoversEveryMissingBar(pages, missingBars, 1440);
    }

    [Fact]
    public void Plan_EarlierToolCaseNewest2023MinutesStored_TakesSixPages()
    {
        var window = new CoverageWindow(M(0), M(10_080), OneMinute);
        var missing = GapFinder.FindMissing(window, [.. Enumerable.Range(10_081 - 2_023, 2_023).Select(M)], []);

        var pages = FetchPlanner.Plan(missing, OneMinute, 1440);

        Assert.Equal([R(0, 8_057)], missing);
        Assert.Equal(6, pages.Count); // ceil(8,058 / 1,440)
        Assert.Equal(OptimalPageCount(MissingBars(missing), 1440), pages.Count);
    }

    [Fact]
    public void Plan_RandomGapSets_NeedTheOptimalPageCountAndCoverEveryMissingBar()
    {
        int[] pageSizes = [1, 2, 3, 7, 50, 100, 300, 1440];
        for (var seed = 0; seed < 500; seed++)
        {
            var random = new Random(seed);
            var pageSize = pageSizes[random.Next(pageSizes.Length)];
            // Keep the quadratic reference affordable: about a million steps a seed at most.
            var bars = random.Next(1, Math.Min(12_000, 1_000_000 / pageSize) + 1);
            var missing = RandomMissingRanges(random, bars);

            var pages = FetchPlanner.Plan(missing, OneMinute, pageSize);

            var missingBars = MissingBars(missing);
            Assert.True(OptimalPageCount(missingBars, pageSize) == pages.Count, $"seed {seed}: {pages.Count} pages, optimum {OptimalPageCount(missingBars, pageSize)}");
            AssertCoversEveryMissingBar(pages, missingBars, pageSize);
        }
    }

    // Runs of missing and stored minutes of random lengths, with a random share missing, so that
    // seeds range from a few isolated minutes to long holes and near-complete gaps.
    private static List<TimeRange> RandomMissingRanges(Random random, int bars)
    {
        var ranges = new List<TimeRange>();
        var meanRun = 1 + random.Next(0, 3) switch { 0 => 2, 1 => 40, _ => 2_000 };
        var missingShare = random.NextDouble();
        var minute = 0;
        while (minute < bars)
        {
            var length = Math.Min(bars - minute, random.Next(1, (2 * meanRun) + 1));
            if (random.NextDouble() < missingShare)
            {
                ranges.Add(R(minute, minute + length - 1));
            }

            minute += length;
        }

        return ranges;
    }

    private static List<long> MissingBars(IEnumerable<TimeRange> missing) =>
        [.. missing.SelectMany(r => Enumerable.Range(0, (int)r.Count(OneMinute)).Select(i => r.StartMs + (i * Minute))).Order()];

    // The reference: dynamic programming over the missing bars, oldest first. best[j] is the fewest
    // pages that cover the j oldest missing bars; the last of those pages covers bars i..j-1, which
    // fit in one page when the newest and oldest of them are less than pageSize bars apart.
    private static int OptimalPageCount(List<long> missingBars, int pageSize)
    {
        var best = new int[missingBars.Count + 1];
        for (var j = 1; j <= missingBars.Count; j++)
        {
            best[j] = int.MaxValue;
            for (var i = j - 1; i >= 0 && (missingBars[j - 1] - missingBars[i]) / Minute < pageSize; i--)
            {
                best[j] = Math.Min(best[j], best[i] + 1);
            }
        }

        return best[^1];
    }

    private static void AssertCoversEveryMissingBar(IReadOnlyList<PageRequest> pages, List<long> missingBars, int pageSize)
    {
        Assert.All(pages, p => Assert.InRange(p.Limit, 1, pageSize));
        var spans = pages.Select(p => p.Span(OneMinute)).OrderBy(s => s.StartMs).ToList();
        var s = 0;
        foreach (var bar in missingBars)
        {
            while (s < spans.Count && spans[s].EndMs < bar)
            {
                s++;
            }

            Assert.True(s < spans.Count && spans[s].Contains(bar), $"missing bar {bar} is in no page's span");
        }

        // Each page starts and ends on a missing bar: no cursor above what is needed, no row below it.
        var missingSet = missingBars.ToHashSet();
        Assert.All(spans, span => Assert.True(missingSet.Contains(span.StartMs) && missingSet.Contains(span.EndMs), $"span {span}"));
    }
}
