using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Coverage;

public sealed class CoverageWindowTests
{
    private const long Minute = 60_000;
    private static readonly DateTimeOffset Midnight = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);
    private static readonly long MidnightMs = Midnight.ToUnixTimeMilliseconds();

    [Fact]
    public void ForRun_168Hours_Expects10081Bars()
    {
        var window = CoverageWindow.ForRun(Midnight.AddSeconds(330), Bar.OneMinute, 168);

        Assert.Equal(10_081, window.ExpectedCount);
        Assert.Equal(168 * 60 * Minute, window.EndMs - window.StartMs);
    }

    [Fact]
    public void ForRun_MidMinute_EndsAtLastClosedMinute()
    {
        // At 00:05:30 the 00:05 minute is forming; the last closed one opened at 00:04.
        var window = CoverageWindow.ForRun(Midnight.AddSeconds(330), Bar.OneMinute, 1);

        Assert.Equal(MidnightMs + (4 * Minute), window.EndMs);
        Assert.Equal(MidnightMs + (4 * Minute) - (60 * Minute), window.StartMs);
        Assert.Equal(61, window.ExpectedCount);
    }

    [Fact]
    public void ForRun_ExactlyOnMinuteBoundary_EndsAtPreviousMinute()
    {
        // At 00:05:00.000 the 00:05 minute has just opened and is forming.
        var window = CoverageWindow.ForRun(Midnight.AddMinutes(5), Bar.OneMinute, 1);

        Assert.Equal(MidnightMs + (4 * Minute), window.EndMs);
    }

    [Fact]
    public void ForRun_ListedInsideWindow_StartsAtListTimeRoundedUpToTheBar()
    {
        var listTimeMs = MidnightMs - (90 * Minute) + 1_500; // 22:30:01.5 the day before

        var window = CoverageWindow.ForRun(Midnight.AddSeconds(330), Bar.OneMinute, 168, listTimeMs);

        Assert.Equal(MidnightMs - (89 * Minute), window.StartMs);
        Assert.Equal(94, window.ExpectedCount); // 22:31 .. 00:04
    }

    [Fact]
    public void ForRun_ListedOnABarBoundary_StartsAtListTime()
    {
        var listTimeMs = MidnightMs - (10 * Minute);

        var window = CoverageWindow.ForRun(Midnight.AddSeconds(330), Bar.OneMinute, 168, listTimeMs);

        Assert.Equal(listTimeMs, window.StartMs);
    }

    [Fact]
    public void ForRun_ListedBeforeWindow_KeepsTheFullLookback()
    {
        var window = CoverageWindow.ForRun(Midnight.AddSeconds(330), Bar.OneMinute, 168, listTimeMs: 0);

        Assert.Equal(10_081, window.ExpectedCount);
    }

    [Fact]
    public void ForRun_ListedAfterLastClosedBar_IsEmpty()
    {
        var window = CoverageWindow.ForRun(Midnight.AddSeconds(330), Bar.OneMinute, 168, MidnightMs + (5 * Minute));

        Assert.True(window.IsEmpty);
        Assert.Equal(0, window.ExpectedCount);
    }

    [Fact]
    public void ForRun_HourBar_EndsAtLastClosedHour()
    {
        var window = CoverageWindow.ForRun(Midnight.AddMinutes(150), Bar.OneHour, 24);

        Assert.Equal(MidnightMs + (60 * Minute), window.EndMs); // 02:30: 02:00 is forming, 01:00 closed
        Assert.Equal(25, window.ExpectedCount);
    }

    [Fact]
    public void ForRun_MonthBar_Throws()
    {
        Assert.Throws<ArgumentException>(() => CoverageWindow.ForRun(Midnight, Bar.Parse("1M"), 24));
    }

    [Fact]
    public void Explicit_RangeReachingIntoTheFuture_IsClampedToLastClosedBar()
    {
        var window = CoverageWindow.Explicit(MidnightMs - (10 * Minute), MidnightMs + (60 * Minute), Bar.OneMinute, Midnight.AddSeconds(330));

        Assert.Equal(MidnightMs - (10 * Minute), window.StartMs);
        Assert.Equal(MidnightMs + (4 * Minute), window.EndMs);
        Assert.Equal(15, window.ExpectedCount);
    }

    [Fact]
    public void Explicit_UnalignedBounds_AreRoundedInwardToWholeBars()
    {
        var window = CoverageWindow.Explicit(MidnightMs - (10 * Minute) + 1, MidnightMs - Minute - 1, Bar.OneMinute, Midnight.AddHours(1));

        Assert.Equal(MidnightMs - (9 * Minute), window.StartMs);
        Assert.Equal(MidnightMs - (2 * Minute), window.EndMs);
    }

    [Fact]
    public void Explicit_ListTimeInsideRange_StartsAtListTime()
    {
        var window = CoverageWindow.Explicit(0, MidnightMs, Bar.OneMinute, Midnight.AddHours(1), listTimeMs: MidnightMs - (3 * Minute));

        Assert.Equal(4, window.ExpectedCount);
    }

    [Fact]
    public void Explicit_StartAfterEnd_Throws()
    {
        Assert.Throws<ArgumentException>(() => CoverageWindow.Explicit(MidnightMs, MidnightMs - 1, Bar.OneMinute, Midnight));
    }

    [Fact]
    public void Constructor_UnalignedStart_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new CoverageWindow(MidnightMs + 1, MidnightMs + Minute, Bar.OneMinute));

        Assert.Equal("StartMs", error.ParamName);
    }
}
