using Blofin.Backfill.Exchange;
using Microsoft.Data.Sqlite;
using static Blofin.Backfill.Storage.TestCandles;

namespace Blofin.Backfill.Storage;

public sealed class CandleDatabaseConcurrencyTests : IDisposable
{
    private const string Btc = "BTC-USDT";
    private readonly TempFolder _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    private static long Count(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM candles";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task OpenAsync_SeveralOpeningTheSameNewFileAtOnce_AllOpenItAtTheLatestVersion()
    {
        // Regression: the version and the tables were read by two statements, so an opener that read version 0
        // just before another one created the schema then saw its tables and refused the file as a foreign database
        // (the parallel symbols of one run open the same new file at once).
        var latest = CandleDatabase.LatestSchemaVersion;
        for (var round = 0; round < 100; round++)
        {
            var path = _folder.File($"new-{round}.db");
            var opens = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                await using var database = await CandleDatabase.OpenAsync(path, Ct);
                return database.SchemaVersion;
            }, Ct));

            Assert.All(await Task.WhenAll(opens), version => Assert.Equal(latest, version));
        }
    }

    [Fact]
    public async Task InsertMissingAsync_WhileADashboardHoldsAReadTransaction_SucceedsAndTheReaderKeepsItsSnapshot()
    {
        var path = _folder.File("candles.db");
        await using var database = await CandleDatabase.OpenAsync(path, Ct);
        await database.InsertMissingAsync(Btc, Bar.OneMinute, Minutes(0, 10), Ct);
        using var dashboard = TempFolder.Connect(path, SqliteOpenMode.ReadOnly);
        using var snapshot = dashboard.BeginTransaction(deferred: true);
        Assert.Equal(10, Count(dashboard, snapshot)); // the read lock is now held

        var inserted = await database.InsertMissingAsync(Btc, Bar.OneMinute, Minutes(10, 100), Ct);
        await database.RecordRunAsync(
            new GapFillRun
            {
                InstId = Btc, Bar = Bar.OneMinute, Trigger = "timer", WindowStartMs = M(0), WindowEndMs = M(109),
                Status = GapFillRunStatus.Succeeded, StartedAtMs = M(111), FinishedAtMs = M(111),
            },
            Ct);

        Assert.Equal(100, inserted);
        Assert.Equal(10, Count(dashboard, snapshot));
        snapshot.Commit();
        Assert.Equal(110, Count(dashboard));
    }

    [Fact]
    public async Task InsertMissingAsync_WhileAnotherWriterHoldsTheLockBriefly_WaitsAndSucceeds()
    {
        var path = _folder.File("candles.db");
        await using var database = await CandleDatabase.OpenAsync(path, Ct);
        using var otherWriter = TempFolder.Connect(path);
        var transaction = otherWriter.BeginTransaction(); // BEGIN IMMEDIATE: holds the write lock
        using (var command = otherWriter.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO candles VALUES ('{Btc}', '1m', {M(0)}, 1, 1, 1, 1, 1, 1, 1)";
            command.ExecuteNonQuery();
        }

        var release = Task.Run(
            async () =>
            {
                await Task.Delay(300, Ct);
                transaction.Commit();
                transaction.Dispose();
            },
            Ct);

        var inserted = await database.InsertMissingAsync(Btc, Bar.OneMinute, Minutes(0, 5), Ct);
        await release;

        Assert.Equal(4, inserted);
        Assert.Equal(5, Count(otherWriter));
    }

    [Fact]
    public async Task CheckpointAsync_MainFileCopiedAlone_HoldsEveryRow()
    {
        var path = _folder.File("candles.db");
        var copy = Path.Combine(Directory.CreateDirectory(_folder.File("upload")).FullName, "candles.db");
        await using var database = await CandleDatabase.OpenAsync(path, Ct);
        await database.InsertMissingAsync(Btc, Bar.OneMinute, Minutes(0, 10_081), Ct);
        Assert.True(new FileInfo(path + "-wal").Length > 0);

        await database.CheckpointAsync(Ct);
        File.Copy(path, copy); // the connection is still open, as when the sync uploads

        Assert.Equal(0, new FileInfo(path + "-wal").Length);
        await using var uploaded = await CandleDatabase.OpenReadOnlyAsync(copy, Ct);
        Assert.Equal(10_081, (await uploaded.GetOpenTimesAsync(Btc, Bar.OneMinute, M(0), M(10_080), Ct)).Count);
        Assert.Equal("ok", await uploaded.QuickCheckAsync(Ct));
    }

    [Fact]
    public async Task CheckpointAsync_ReaderPinsAnOlderSnapshot_ThrowsNamingTheFile()
    {
        var path = _folder.File("candles.db");
        await using var database = await CandleDatabase.OpenAsync(path, readOnly: false, null, SchemaMigrations.All, TimeSpan.FromMilliseconds(200), Ct);
        await database.InsertMissingAsync(Btc, Bar.OneMinute, Minutes(0, 10), Ct);
        using var dashboard = TempFolder.Connect(path, SqliteOpenMode.ReadOnly);
        using var snapshot = dashboard.BeginTransaction(deferred: true);
        Count(dashboard, snapshot);
        await database.InsertMissingAsync(Btc, Bar.OneMinute, Minutes(10, 10), Ct);

        var error = await Assert.ThrowsAsync<CandleDatabaseException>(() => database.CheckpointAsync(Ct));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        snapshot.Commit();
        await database.CheckpointAsync(Ct);
    }

    [Fact]
    public async Task DisposeAsync_ClosesTheFileHandleAndRemovesTheWal()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Open handles are listed from /proc/self/fd.");
        var path = _folder.File("candles.db");
        var database = await CandleDatabase.OpenAsync(path, Ct);
        await database.InsertMissingAsync(Btc, Bar.OneMinute, Minutes(0, 10), Ct);
        Assert.Contains(path, OpenFiles());

        await database.DisposeAsync();

        Assert.DoesNotContain(path, OpenFiles());
        Assert.False(File.Exists(path + "-wal"));
        using var connection = TempFolder.Connect(path, SqliteOpenMode.ReadOnly);
        Assert.Equal(10, Count(connection));
    }

    [Fact]
    public async Task QuickCheckAsync_HealthyFile_ReturnsOk()
    {
        await using var database = await CandleDatabase.OpenAsync(_folder.File("candles.db"), Ct);
        await database.InsertMissingAsync(Btc, Bar.OneMinute, Minutes(0, 100), Ct);

        Assert.Equal("ok", await database.QuickCheckAsync(Ct));
    }

    [Fact]
    public async Task QuickCheckAsync_DamagedPage_ReportsTheProblem()
    {
        var path = _folder.File("candles.db");
        await using (var writer = await CandleDatabase.OpenAsync(path, Ct))
        {
            await writer.InsertMissingAsync(Btc, Bar.OneMinute, Minutes(0, 5_000), Ct);
        }

        // Scribble over the second half of the file: candle pages, not the schema on page 1.
        var bytes = await File.ReadAllBytesAsync(path, Ct);
        new Random(7).NextBytes(bytes.AsSpan(bytes.Length / 2, 8_192));
        await File.WriteAllBytesAsync(path, bytes, Ct);
        await using var database = await CandleDatabase.OpenReadOnlyAsync(path, Ct);

        var result = await database.QuickCheckAsync(Ct);

        Assert.NotEqual("ok", result);
        Assert.NotEmpty(result);
    }

    private static List<string> OpenFiles() =>
        [.. new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Select(fd => fd.LinkTarget).OfType<string>()];
}
