using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Coverage;

public sealed class GapFinderTests
{
    private const long Minute = 60_000;
    private const long T0 = 1_736_121_600_000; // 2025-01-06T00:00Z

    // A window of minutes T0 .. T0 + 9 minutes (10 bars).
    private static readonly CoverageWindow Window = new(T0, T0 + (9 * Minute), Bar.OneMinute);

    private static long M(int minute) => T0 + (minute * Minute);

    private static TimeRange R(int fromMinute, int toMinute) => new(M(fromMinute), M(toMinute));

    [Fact]
    public void FindMissing_NothingStored_ReturnsTheWholeWindow()
    {
        var missing = GapFinder.FindMissing(Window, [], []);

        Assert.Equal([R(0, 9)], missing);
    }

    [Fact]
    public void FindMissing_EverythingStored_ReturnsNothing()
    {
        var missing = GapFinder.FindMissing(Window, [.. Enumerable.Range(0, 10).Select(M)], []);

        Assert.Empty(missing);
    }

    [Fact]
    public void FindMissing_ScatteredBarsStored_ReturnsTheRunsBetweenThem()
    {
        var missing = GapFinder.FindMissing(Window, [M(0), M(3), M(4), M(8)], []);

        Assert.Equal([R(1, 2), R(5, 7), R(9, 9)], missing);
    }

    [Fact]
    public void FindMissing_SourceGaps_AreNotMissing()
    {
        var missing = GapFinder.FindMissing(Window, [M(0), M(9)], [R(2, 3), R(6, 6)]);

        Assert.Equal([R(1, 1), R(4, 5), R(7, 8)], missing);
    }

    [Fact]
    public void FindMissing_OverlappingUnsortedGapsAndStoredBarsInsideThem_AreMerged()
    {
        var missing = GapFinder.FindMissing(Window, [M(3), M(4)], [R(5, 7), R(2, 6), R(6, 6)]);

        Assert.Equal([R(0, 1), R(8, 9)], missing);
    }

    [Fact]
    public void FindMissing_GapsAndBarsOutsideTheWindow_AreIgnored()
    {
        var missing = GapFinder.FindMissing(Window, [M(-5), M(-1), M(1), M(12)], [R(-20, 0), R(9, 30)]);

        Assert.Equal([R(2, 8)], missing);
    }

    [Fact]
    public void FindMissing_UnalignedGapBounds_CoverOnlyWholeBarsInside()
    {
        var missing = GapFinder.FindMissing(Window, [], [new TimeRange(M(2) + 1, M(5) - 1)]);

        Assert.Equal([R(0, 2), R(5, 9)], missing);
    }

    [Fact]
    public void FindMissing_EmptyWindow_ReturnsNothing()
    {
        var empty = new CoverageWindow(M(5), M(4), Bar.OneMinute);

        Assert.Empty(GapFinder.FindMissing(empty, [], []));
    }

    [Fact]
    public void FindMissing_StoredTimesNotAscending_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => GapFinder.FindMissing(Window, [M(3), M(1)], []));

        Assert.Equal("presentOpenTimesAscending", error.ParamName);
    }

    [Fact]
    public void FindMissing_RandomStoredBarsAndGaps_MatchesBarByBarCheck()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var bars = random.Next(1, 200);
            var window = new CoverageWindow(T0, T0 + ((bars - 1) * Minute), Bar.OneMinute);
            var present = Enumerable.Range(-5, bars + 10).Where(_ => random.NextDouble() < 0.5).Select(M).ToList();
            var gaps = Enumerable.Range(0, random.Next(0, 6))
                .Select(_ => random.Next(-10, bars + 10))
                .Select(start => R(start, start + random.Next(0, 15)))
                .ToList();

            var missing = GapFinder.FindMissing(window, present, gaps);

            var expected = Enumerable.Range(0, bars).Select(M)
                .Where(t => !present.Contains(t) && !gaps.Any(g => g.Contains(t)))
                .ToList();
            var actual = missing.SelectMany(r => Enumerable.Range(0, (int)r.Count(Bar.OneMinute)).Select(i => r.StartMs + (i * Minute))).ToList();
            Assert.Equal(expected, actual);
            // Ranges are maximal: never adjacent or overlapping.
            Assert.All(missing.Zip(missing.Skip(1)), pair => Assert.True(pair.Second.StartMs > pair.First.EndMs + Minute, $"seed {seed}"));
        }
    }
}
