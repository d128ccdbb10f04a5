using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Coverage;

public sealed class TimeRangeTests
{
    [Fact]
    public void Count_BothEndsIncluded()
    {
        Assert.Equal(3, new TimeRange(0, 120_000).Count(Bar.OneMinute));
        Assert.Equal(1, new TimeRange(60_000, 60_000).Count(Bar.OneMinute));
    }

    [Fact]
    public void Count_EndBeforeStart_IsZero()
    {
        Assert.Equal(0, new TimeRange(120_000, 60_000).Count(Bar.OneMinute));
    }

    [Fact]
    public void ToString_ShowsUtcTimes()
    {
        Assert.Equal("1970-01-01T00:00:00Z..1970-01-01T00:02:00Z", new TimeRange(0, 120_000).ToString());
    }
}
