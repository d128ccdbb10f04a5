using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Coverage;

public sealed class HoleDetectorTests
{
    private const long Minute = 60_000;
    private const long T0 = 1_736_121_600_000; // 2025-01-06T00:00Z

    // 01:00:30 with a 10-minute settle: the newest bar that may be declared absent is 00:49 (closed 00:50).
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(T0).AddSeconds(3_630);
    private static readonly TimeSpan Settle = TimeSpan.FromMinutes(10);

    private static long M(int minute) => T0 + (minute * Minute);

    private static Candle C(int minute, bool confirmed = true) =>
        new(M(minute), 100m, 101m, 99m, 100.5m, 10m, 0.1m, 1_005m, confirmed);

    private static IReadOnlyList<SourceGap> Detect(PageRequest request, Candle[] rows, bool cursorBarStored = false) =>
        HoleDetector.Detect(Bar.OneMinute, request, rows, cursorBarStored, Now, Settle);

    [Fact]
    public void Detect_FullPageWithoutHoles_FindsNothing()
    {
        var gaps = Detect(new PageRequest(M(30), 5), [C(29), C(28), C(27), C(26), C(25)]);

        Assert.Empty(gaps);
    }

    [Fact]
    public void Detect_BarsBetweenTwoConfirmedRows_AreAHoleWithTheEvidence()
    {
        var gaps = Detect(new PageRequest(M(30), 5), [C(29), C(28), C(25), C(24), C(23)]);

        var gap = Assert.Single(gaps);
        Assert.Equal(
            new SourceGap(new TimeRange(M(26), M(27)), SourceGapReason.Hole, Now.ToUnixTimeMilliseconds(), M(30), 5, M(28), M(25)),
            gap);
    }

    [Fact]
    public void Detect_HoleYoungerThanSettleHorizon_IsNotDeclared()
    {
        var gaps = Detect(new PageRequest(M(60), 3), [C(59), C(56), C(55)]);

        Assert.Empty(gaps);
    }

    [Fact]
    public void Detect_HoleAcrossSettleHorizon_DeclaresOnlyTheSettledPart()
    {
        var gaps = Detect(new PageRequest(M(52), 3), [C(51), C(45), C(44)]);

        Assert.Equal(new TimeRange(M(46), M(49)), Assert.Single(gaps).Range);
    }

    [Fact]
    public void Detect_ZeroSettle_NeverDeclaresTheFormingBar()
    {
        // At 01:00:30 the 01:00 bar is forming; with no settle time 00:59 is the newest declarable bar.
        var gaps = HoleDetector.Detect(Bar.OneMinute, new PageRequest(M(61), 1), [], cursorBarStored: false, Now, TimeSpan.Zero);

        Assert.Empty(gaps);
    }

    [Fact]
    public void Detect_UnconfirmedNeighbour_IsNotEvidence()
    {
        var gaps = Detect(new PageRequest(M(30), 3), [C(29), C(27, confirmed: false), C(24)]);

        Assert.Empty(gaps);
    }

    [Fact]
    public void Detect_CursorBarStored_BarsBetweenCursorAndNewestRowAreAHole()
    {
        var gaps = Detect(new PageRequest(M(30), 3), [C(27), C(26), C(25)], cursorBarStored: true);

        var gap = Assert.Single(gaps);
        Assert.Equal(new TimeRange(M(28), M(29)), gap.Range);
        Assert.Equal(M(30), gap.NewerNeighbourMs);
        Assert.Equal(M(27), gap.OlderNeighbourMs);
    }

    [Fact]
    public void Detect_CursorBarNotKnownStored_BarsBelowCursorAreNotDeclared()
    {
        var gaps = Detect(new PageRequest(M(30), 3), [C(27), C(26), C(25)], cursorBarStored: false);

        Assert.Empty(gaps);
    }

    [Fact]
    public void Detect_ShortPage_SpanBelowOldestRowIsBeforeHistory()
    {
        var gaps = Detect(new PageRequest(M(30), 10), [C(29), C(28), C(27)]);

        Assert.Equal(
            new SourceGap(new TimeRange(M(20), M(26)), SourceGapReason.BeforeHistory, Now.ToUnixTimeMilliseconds(), M(30), 10, M(27), null),
            Assert.Single(gaps));
    }

    [Fact]
    public void Detect_EmptyPage_WholeSpanIsBeforeHistory()
    {
        var gaps = Detect(new PageRequest(M(30), 10), []);

        var gap = Assert.Single(gaps);
        Assert.Equal(new TimeRange(M(20), M(29)), gap.Range);
        Assert.Equal(SourceGapReason.BeforeHistory, gap.Reason);
        Assert.Null(gap.NewerNeighbourMs);
    }

    [Fact]
    public void Detect_EmptyPageBelowStoredCursor_NamesTheCursorAsNeighbour()
    {
        var gaps = Detect(new PageRequest(M(30), 10), [], cursorBarStored: true);

        Assert.Equal(M(30), Assert.Single(gaps).NewerNeighbourMs);
    }

    [Fact]
    public void Detect_ShortPageWithAHole_ReportsBoth()
    {
        var gaps = Detect(new PageRequest(M(30), 10), [C(29), C(26)]);

        Assert.Equal(
            [(SourceGapReason.Hole, new TimeRange(M(27), M(28))), (SourceGapReason.BeforeHistory, new TimeRange(M(20), M(25)))],
            gaps.Select(g => (g.Reason, g.Range)));
    }

    [Fact]
    public void Detect_ShortPageReachingBelowItsSpan_HasNothingBeforeHistoryInTheSpan()
    {
        var gaps = Detect(new PageRequest(M(30), 5), [C(29), C(10)]);

        Assert.Equal([(SourceGapReason.Hole, new TimeRange(M(11), M(28)))], gaps.Select(g => (g.Reason, g.Range)));
    }

    [Fact]
    public void Detect_ShortPageYoungerThanSettleHorizon_DeclaresOnlyTheSettledPart()
    {
        var gaps = Detect(new PageRequest(M(55), 10), []);

        Assert.Equal(new TimeRange(M(45), M(49)), Assert.Single(gaps).Range);
    }

    [Fact]
    public void Detect_RowsNotNewestFirst_Throws()
    {
        Assert.Throws<ArgumentException>(() => Detect(new PageRequest(M(30), 3), [C(25), C(27)]));
    }

    [Fact]
    public void Detect_RowAtTheCursor_Throws()
    {
        Assert.Throws<ArgumentException>(() => Detect(new PageRequest(M(30), 3), [C(30)]));
    }

    [Fact]
    public void Detect_MoreRowsThanTheLimit_Throws()
    {
        Assert.Throws<ArgumentException>(() => Detect(new PageRequest(M(30), 1), [C(29), C(28)]));
    }
}
