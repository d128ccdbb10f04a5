using Blofin.Backfill.Coverage;
using static Blofin.Backfill.Export.ExportTestData;

namespace Blofin.Backfill.Export;

public sealed class CompletenessCounterTests
{
    [Fact]
    public void Complete_OverlappingAndAdjacentHoles_CountEachAbsentBarOnce()
    {
        var counter = new CompletenessCounter(M(0), M(99), Minute, [new TimeRange(M(10), M(19)), new TimeRange(M(15), M(24)), new TimeRange(M(25), M(29))]);
        foreach (var minute in Enumerable.Range(0, 100).Where(m => m is < 10 or > 29))
        {
            counter.Observe(M(minute));
        }

        Assert.Equal(new ExportCompleteness(M(0), M(99), 100, 0, 20), counter.Complete());
    }

    [Fact]
    public void Complete_RowInsideARecordedHole_CountsAsPresent()
    {
        var counter = new CompletenessCounter(M(0), M(9), Minute, [new TimeRange(M(3), M(5))]);
        foreach (var minute in new[] { 0, 1, 2, 4, 6, 7, 8, 9 })
        {
            counter.Observe(M(minute));
        }

        Assert.Equal(new ExportCompleteness(M(0), M(9), 10, 0, 2), counter.Complete());
    }

    [Fact]
    public void Complete_HolesAndRowsOutsideTheWindow_AreNotCounted()
    {
        var counter = new CompletenessCounter(M(10), M(19), Minute, [new TimeRange(M(0), M(11)), new TimeRange(M(30), M(40))]);
        foreach (var minute in Enumerable.Range(5, 10))
        {
            counter.Observe(M(minute));
        }

        // Rows 10..14 are in the window, 10 and 11 also in a hole; 15..19 are missing.
        Assert.Equal(new ExportCompleteness(M(10), M(19), 10, 5, 0), counter.Complete());
    }

    [Fact]
    public void Complete_OpenEnds_RunFromTheFirstToTheLastRow()
    {
        var counter = new CompletenessCounter(null, null, Minute, []);
        counter.Observe(M(5));
        counter.Observe(M(9));

        Assert.Equal(new ExportCompleteness(M(5), M(9), 5, 3, 0), counter.Complete());
    }

    [Fact]
    public void Complete_NoRowsAndAnOpenEnd_ExpectsNothing()
    {
        var counter = new CompletenessCounter(M(0), null, Minute, []);

        Assert.Equal(new ExportCompleteness(null, null, 0, 0, 0), counter.Complete());
    }
}
