using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Backfill;

public sealed class HoleRecheckTests
{
    private const long Minute = 60_000;
    private const long T0 = 1_736_121_600_000; // 2025-01-06T00:00Z

    private static long M(int minute) => T0 + (minute * Minute);

    private static TimeRange R(int from, int to) => new(M(from), M(to));

    private static Candle Row(int minute, bool confirmed = true) => new(M(minute), 1m, 2m, 0.5m, 1.5m, 10m, 1m, 15m, confirmed);

    private static SourceGap Hole(int from, int to) =>
        new(R(from, to), SourceGapReason.Hole, M(1_000), M(to + 1), 100, M(to + 1), M(from - 1));

    [Fact]
    public void Shown_FullPage_ReachesDownToItsOldestRow()
    {
        var page = new PageRequest(M(10), 5);
        Candle[] rows = [Row(9), Row(8), Row(6), Row(5), Row(4)];

        Assert.Equal(R(4, 9), HoleRecheck.Shown(page, Bar.OneMinute, rows));
    }

    [Fact]
    public void Shown_ShortPage_ReachesTheBottomOfItsSpan()
    {
        var page = new PageRequest(M(10), 5);

        Assert.Equal(R(5, 9), HoleRecheck.Shown(page, Bar.OneMinute, [Row(9), Row(8)]));
        Assert.Equal(R(5, 9), HoleRecheck.Shown(page, Bar.OneMinute, []));
    }

    [Fact]
    public void Resolve_BarShownWithoutARow_IsFinalWithThePageAsEvidence()
    {
        var page = new PageRequest(M(10), 5);

        var outcome = HoleRecheck.Resolve(Hole(7, 7), Bar.OneMinute, [(page, R(4, 9))], new HashSet<long>(), new HashSet<long>(), M(2_000));

        Assert.Equal([R(7, 7)], outcome.Final);
        Assert.Empty(outcome.Filled);
        Assert.Empty(outcome.StillDue);
        Assert.Equal((M(10), 5, M(2_000)), (outcome.RequestAfterMs, outcome.RequestLimit, outcome.RecheckedAtMs));
    }

    [Fact]
    public void Resolve_ConfirmedRowReturned_IsFilled()
    {
        var outcome = HoleRecheck.Resolve(Hole(6, 8), Bar.OneMinute, [(new PageRequest(M(10), 5), R(4, 9))], new HashSet<long> { M(7) }, new HashSet<long>(), M(2_000));

        Assert.Equal([R(7, 7)], outcome.Filled);
        Assert.Equal([R(6, 6), R(8, 8)], outcome.Final);
        Assert.True(outcome.IsResolved);
    }

    [Fact]
    public void Resolve_BarNoPageShowedOrServedForming_StaysDue()
    {
        var outcome = HoleRecheck.Resolve(Hole(2, 6), Bar.OneMinute, [(new PageRequest(M(10), 5), R(5, 9))], new HashSet<long>(), new HashSet<long> { M(6) }, M(2_000));

        Assert.Equal([R(2, 4), R(6, 6)], outcome.StillDue);
        Assert.Equal([R(5, 5)], outcome.Final);
    }

    [Fact]
    public void Resolve_NoPageSucceeded_ResolvesNothing()
    {
        var outcome = HoleRecheck.Resolve(Hole(2, 6), Bar.OneMinute, [], new HashSet<long>(), new HashSet<long>(), M(2_000));

        Assert.False(outcome.IsResolved);
        Assert.Equal([R(2, 6)], outcome.StillDue);
    }

    [Fact]
    public void WithoutKnown_DetectedAgainInsideARecordedGap_IsDropped()
    {
        Assert.Empty(HoleRecheck.WithoutKnown(Hole(5, 6), [R(4, 8)], Bar.OneMinute));
    }

    [Fact]
    public void WithoutKnown_OverlappingRecordedGaps_KeepsOnlyTheNewBarsWithTheDetectionsEvidence()
    {
        var detected = Hole(2, 12);

        var fresh = HoleRecheck.WithoutKnown(detected, [R(4, 5), R(9, 20)], Bar.OneMinute).ToList();

        Assert.Equal([R(2, 3), R(6, 8)], fresh.Select(gap => gap.Range));
        Assert.All(fresh, gap => Assert.Equal((detected.RequestAfterMs, detected.DetectedAtMs), (gap.RequestAfterMs, gap.DetectedAtMs)));
    }

    [Fact]
    public void IsDueForRecheck_BeforeAndAfterTheInterval_IsDueOnlyAfter()
    {
        var hole = Hole(1, 1);

        Assert.False(hole.IsDueForRecheck(M(1_000) + (24 * 60 * Minute) - 1, TimeSpan.FromHours(24)));
        Assert.True(hole.IsDueForRecheck(M(1_000) + (24 * 60 * Minute), TimeSpan.FromHours(24)));
        Assert.False((hole with { RecheckedAtMs = M(1_500) }).IsDueForRecheck(long.MaxValue, TimeSpan.Zero));
    }
}
