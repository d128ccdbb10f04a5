using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Microsoft.Data.Sqlite;
using static Blofin.Backfill.Storage.TestCandles;

namespace Blofin.Backfill.Storage;

public sealed class CandleDatabaseRecheckTests : OpenedDatabaseTests
{
    private const string Eth = "ETH-USDT";

    private static TimeRange R(int fromMinute, int toMinute) => new(M(fromMinute), M(toMinute));

    private static SourceGap Hole(int fromMinute, int toMinute) =>
        new(R(fromMinute, toMinute), SourceGapReason.Hole, M(500), M(toMinute + 2), 1440, M(toMinute + 1), M(fromMinute - 1));

    private static HoleRecheckOutcome Outcome(SourceGap hole, TimeRange[] filled, TimeRange[] final, TimeRange[] due) =>
        new(hole, filled, final, due, M(2_000), M(60), 55);

    [Fact]
    public async Task ApplyHoleRechecksAsync_StillAbsent_BecomesFinalWithBothRequestsAsEvidence()
    {
        var hole = Hole(10, 12);
        await Database.AddSourceGapsAsync(Eth, Bar.OneMinute, [hole], Ct);

        var replaced = await Database.ApplyHoleRechecksAsync(Eth, Bar.OneMinute, [Outcome(hole, [], [R(10, 12)], [])], Ct);

        Assert.Equal(1, replaced);
        var gap = Assert.Single(await Database.GetSourceGapsAsync(Eth, Bar.OneMinute, M(0), M(100), Ct));
        Assert.True(gap.IsFinal);
        Assert.Equal((M(2_000), M(60), 55), (gap.RecheckedAtMs!.Value, gap.RecheckRequestAfterMs!.Value, gap.RecheckRequestLimit!.Value));
        Assert.Equal(hole with { RecheckedAtMs = M(2_000), RecheckRequestAfterMs = M(60), RecheckRequestLimit = 55 }, gap);
        Assert.False(gap.IsDueForRecheck(long.MaxValue, TimeSpan.Zero));
    }

    [Fact]
    public async Task ApplyHoleRechecksAsync_Filled_RemovesTheHole()
    {
        var hole = Hole(10, 10);
        await Database.AddSourceGapsAsync(Eth, Bar.OneMinute, [hole], Ct);

        await Database.ApplyHoleRechecksAsync(Eth, Bar.OneMinute, [Outcome(hole, [R(10, 10)], [], [])], Ct);

        Assert.Empty(await Database.GetSourceGapsAsync(Eth, Bar.OneMinute, M(0), M(100), Ct));
    }

    [Fact]
    public async Task ApplyHoleRechecksAsync_PartlyFilledPartlyUnseen_SplitsIntoFinalAndStillDue()
    {
        var hole = Hole(10, 15);
        await Database.AddSourceGapsAsync(Eth, Bar.OneMinute, [hole], Ct);

        await Database.ApplyHoleRechecksAsync(Eth, Bar.OneMinute, [Outcome(hole, [R(12, 12)], [R(13, 15)], [R(10, 11)])], Ct);

        var gaps = await Database.GetSourceGapsAsync(Eth, Bar.OneMinute, M(0), M(100), Ct);
        Assert.Equal([(R(10, 11), false), (R(13, 15), true)], gaps.Select(g => (g.Range, g.IsFinal)));
        Assert.All(gaps, g => Assert.Equal((hole.DetectedAtMs, hole.RequestAfterMs), (g.DetectedAtMs, g.RequestAfterMs)));
    }

    [Fact]
    public async Task ApplyHoleRechecksAsync_NothingResolved_LeavesTheHoleAsItWas()
    {
        var hole = Hole(10, 11);
        await Database.AddSourceGapsAsync(Eth, Bar.OneMinute, [hole], Ct);

        var replaced = await Database.ApplyHoleRechecksAsync(Eth, Bar.OneMinute, [Outcome(hole, [], [], [R(10, 11)])], Ct);

        Assert.Equal(0, replaced);
        Assert.Equal(hole, Assert.Single(await Database.GetSourceGapsAsync(Eth, Bar.OneMinute, M(0), M(100), Ct)));
    }

    [Fact]
    public async Task ApplyHoleRechecksAsync_AppliedTwice_ChangesNothingTheSecondTime()
    {
        var hole = Hole(10, 12);
        await Database.AddSourceGapsAsync(Eth, Bar.OneMinute, [hole], Ct);
        var outcome = Outcome(hole, [R(11, 11)], [R(10, 10)], [R(12, 12)]);
        await Database.ApplyHoleRechecksAsync(Eth, Bar.OneMinute, [outcome], Ct);
        var after = await Database.GetSourceGapsAsync(Eth, Bar.OneMinute, M(0), M(100), Ct);

        var replaced = await Database.ApplyHoleRechecksAsync(Eth, Bar.OneMinute, [outcome], Ct);

        Assert.Equal(0, replaced);
        Assert.Equal(after, await Database.GetSourceGapsAsync(Eth, Bar.OneMinute, M(0), M(100), Ct));
    }

    [Fact]
    public async Task ApplyHoleRechecksAsync_FinalHole_IsNeverReplaced()
    {
        var hole = Hole(10, 10);
        await Database.AddSourceGapsAsync(Eth, Bar.OneMinute, [hole], Ct);
        await Database.ApplyHoleRechecksAsync(Eth, Bar.OneMinute, [Outcome(hole, [], [R(10, 10)], [])], Ct);
        var final = Assert.Single(await Database.GetSourceGapsAsync(Eth, Bar.OneMinute, M(0), M(100), Ct));

        var replaced = await Database.ApplyHoleRechecksAsync(Eth, Bar.OneMinute, [Outcome(final, [R(10, 10)], [], [])], Ct);

        Assert.Equal(0, replaced);
        Assert.Equal(final, Assert.Single(await Database.GetSourceGapsAsync(Eth, Bar.OneMinute, M(0), M(100), Ct)));
    }

    [Fact]
    public async Task OpenAsync_FileAtVersion1_MigratesToVersion2KeepingGapsAndRuns()
    {
        var path = Folder.File("v1.db");
        await using (await CandleDatabase.OpenAsync(path, readOnly: false, null, [.. SchemaMigrations.All.Take(1)], CandleDatabase.DefaultBusyTimeout, Ct))
        {
        }

        using (var connection = TempFolder.Connect(path))
        {
            TempFolder.Scalar(connection, $"INSERT INTO source_gaps VALUES ('{Eth}', '1m', {M(10)}, {M(11)}, 'hole', {M(500)}, {M(13)}, 1440, {M(12)}, {M(9)})");
            TempFolder.Scalar(connection, $"""
                INSERT INTO gap_fill_runs (inst_id, bar, trigger, window_start_ts, window_end_ts, expected, present_before, present_after,
                                           requests, inserted, source_gaps_found, status, started_at_ms, finished_at_ms)
                VALUES ('{Eth}', '1m', 'timer', {M(0)}, {M(99)}, 100, 0, 98, 1, 98, 2, 'succeeded', {M(100)}, {M(101)});
                """);
        }

        await using var database = await CandleDatabase.OpenAsync(path, Ct);

        Assert.Equal(2, database.SchemaVersion);
        Assert.Equal(Hole(10, 11), Assert.Single(await database.GetSourceGapsAsync(Eth, Bar.OneMinute, M(0), M(100), Ct)));
        var run = await database.GetLastRunAsync(Eth, Bar.OneMinute, Ct);
        Assert.Equal((98, 0), (run!.Inserted, run.Revised));
    }

    [Fact]
    public async Task SourceGaps_FinalColumn_RefusesAnythingButZeroOrOne()
    {
        await Database.AddSourceGapsAsync(Eth, Bar.OneMinute, [Hole(10, 10)], Ct);
        await Database.DisposeAsync();
        using var connection = TempFolder.Connect(DatabasePath);

        var error = Assert.Throws<SqliteException>(() => TempFolder.Scalar(connection, "UPDATE source_gaps SET final = 2"));

        Assert.Contains("CHECK", error.Message, StringComparison.Ordinal);
    }
}
