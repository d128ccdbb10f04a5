using Blofin.Backfill.Exchange;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Testing;

namespace Blofin.Backfill.Storage;

public sealed class CandleDatabaseSchemaTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task OpenAsync_NewFile_CreatesLatestSchemaInWalMode()
    {
        var path = _folder.File("new.db");

        await using (var database = await CandleDatabase.OpenAsync(path, Ct))
        {
            Assert.Equal(CandleDatabase.LatestSchemaVersion, database.SchemaVersion);
            Assert.Equal(Path.GetFullPath(path), database.FilePath);
        }

        using var connection = TempFolder.Connect(path, SqliteOpenMode.ReadOnly);
        Assert.Equal("wal", TempFolder.Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal((long)CandleDatabase.LatestSchemaVersion, TempFolder.Scalar(connection, "PRAGMA user_version"));
        Assert.Equal(3L, TempFolder.Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('candles', 'gap_fill_runs', 'source_gaps')"));
        Assert.Contains("WITHOUT ROWID", (string)TempFolder.Scalar(connection, "SELECT sql FROM sqlite_schema WHERE name = 'candles'")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_FolderMissing_CreatesIt()
    {
        var path = Path.Combine(_folder.Path, "cache", "symbols", "candles.db");

        await using var database = await CandleDatabase.OpenAsync(path, Ct);

        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task OpenAsync_EmptyFileAtVersionZero_IsMigratedToLatest()
    {
        var path = _folder.File("empty.db");
        await File.WriteAllBytesAsync(path, [], Ct);
        var logger = new FakeLogger<CandleDatabase>();

        await using var database = await CandleDatabase.OpenAsync(path, logger, Ct);

        Assert.Equal(CandleDatabase.LatestSchemaVersion, database.SchemaVersion);
        var applied = logger.Collector.GetSnapshot().Where(r => r.Id.Id == 3001).ToList();
        Assert.Equal(CandleDatabase.LatestSchemaVersion, applied.Count);
        Assert.Contains("from schema version 0 to 1", applied[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_FileAtOlderVersion_AppliesThePendingMigrationsAndKeepsItsRows()
    {
        var path = _folder.File("older.db");
        SchemaMigration[] history =
        [
            new(1, "table t", "CREATE TABLE t (x INTEGER NOT NULL)"),
            new(2, "column t.y", "ALTER TABLE t ADD COLUMN y TEXT NOT NULL DEFAULT 'added'"),
        ];
        await using (await CandleDatabase.OpenAsync(path, readOnly: false, null, history[..1], CandleDatabase.DefaultBusyTimeout, Ct))
        {
        }

        using (var connection = TempFolder.Connect(path))
        {
            TempFolder.Scalar(connection, "INSERT INTO t (x) VALUES (42)");
        }

        var logger = new FakeLogger<CandleDatabase>();

        await using var database = await CandleDatabase.OpenAsync(path, readOnly: false, logger, history, CandleDatabase.DefaultBusyTimeout, Ct);

        Assert.Equal(2, database.SchemaVersion);
        using var reader = TempFolder.Connect(path, SqliteOpenMode.ReadOnly);
        Assert.Equal("42 added", TempFolder.Scalar(reader, "SELECT x || ' ' || y FROM t"));
        var applied = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 3001);
        Assert.Contains("from schema version 1 to 2 (column t.y)", applied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_FileAtLatestVersion_AppliesNothing()
    {
        var path = _folder.File("current.db");
        await using (await CandleDatabase.OpenAsync(path, Ct))
        {
        }

        var logger = new FakeLogger<CandleDatabase>();

        await using var database = await CandleDatabase.OpenAsync(path, logger, Ct);

        Assert.DoesNotContain(logger.Collector.GetSnapshot(), r => r.Id.Id == 3001);
    }

    [Fact]
    public async Task OpenAsync_FileFromNewerBuild_IsRefusedNamingFileAndVersionsAndLeftUnchanged()
    {
        var path = _folder.File("newer.db");
        await using (await CandleDatabase.OpenAsync(path, Ct))
        {
        }

        using (var connection = TempFolder.Connect(path))
        {
            TempFolder.Scalar(connection, "PRAGMA user_version = 99");
        }

        var before = await File.ReadAllBytesAsync(path, Ct);

        var error = await Assert.ThrowsAsync<UnsupportedSchemaVersionException>(() => CandleDatabase.OpenAsync(path, Ct));

        Assert.Contains(Path.GetFullPath(path), error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains($"version {CandleDatabase.LatestSchemaVersion}", error.Message, StringComparison.Ordinal);
        Assert.Equal((99, CandleDatabase.LatestSchemaVersion), (error.FileVersion, error.SupportedVersion));
        Assert.Equal(before, await File.ReadAllBytesAsync(path, Ct));
    }

    [Fact]
    public async Task OpenReadOnlyAsync_FileFromNewerBuild_IsRefused()
    {
        var path = _folder.File("newer.db");
        using (var connection = TempFolder.Connect(path))
        {
            TempFolder.Scalar(connection, "PRAGMA user_version = 7");
        }

        await Assert.ThrowsAsync<UnsupportedSchemaVersionException>(() => CandleDatabase.OpenReadOnlyAsync(path, Ct));
    }

    [Fact]
    public async Task OpenAsync_FileNotSqlite_IsRefusedNamingFileAndLeftUnchanged()
    {
        var path = _folder.File("notes.db");
        var text = string.Concat(Enumerable.Repeat("these are not candles, just text\n", 200));
        await File.WriteAllTextAsync(path, text, Ct);

        var error = await Assert.ThrowsAsync<CandleDatabaseException>(() => CandleDatabase.OpenAsync(path, Ct));

        Assert.Contains(Path.GetFullPath(path), error.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Equal(Path.GetFullPath(path), error.FilePath);
        Assert.Equal(text, await File.ReadAllTextAsync(path, Ct));
        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public async Task OpenReadOnlyAsync_FileNotSqlite_IsRefusedNamingFile()
    {
        var path = _folder.File("notes.db");
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Repeat("plain text ", 100)), Ct);

        var error = await Assert.ThrowsAsync<CandleDatabaseException>(() => CandleDatabase.OpenReadOnlyAsync(path, Ct));

        Assert.Contains(Path.GetFullPath(path), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_SqliteDatabaseOfSomethingElse_IsRefusedAndLeftUnchanged()
    {
        var path = _folder.File("other.db");
        using (var connection = TempFolder.Connect(path))
        {
            TempFolder.Scalar(connection, "CREATE TABLE candles (id INTEGER PRIMARY KEY, colour TEXT)");
        }

        var before = await File.ReadAllBytesAsync(path, Ct);

        var error = await Assert.ThrowsAsync<CandleDatabaseException>(() => CandleDatabase.OpenAsync(path, Ct));

        Assert.Contains("not a candle database", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(path, Ct));
    }

    [Fact]
    public async Task OpenReadOnlyAsync_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        var path = _folder.File("absent.db");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => CandleDatabase.OpenReadOnlyAsync(path, Ct));

        Assert.Equal(Path.GetFullPath(path), error.FileName);
        Assert.Contains(Path.GetFullPath(path), error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task OpenReadOnlyAsync_FileNeedingMigration_IsRefusedWithTheRemedy()
    {
        var path = _folder.File("old.db");
        await using (await CandleDatabase.OpenAsync(path, readOnly: false, null, [new(1, "t", "CREATE TABLE t (x)")], CandleDatabase.DefaultBusyTimeout, Ct))
        {
        }

        var error = await Assert.ThrowsAsync<SchemaMigrationNeededException>(() => CandleDatabase.OpenAsync(
            path, readOnly: true, null, [new(1, "t", "CREATE TABLE t (x)"), new(2, "u", "CREATE TABLE u (x)")], CandleDatabase.DefaultBusyTimeout, Ct));

        Assert.Contains("open it for writing once", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 2), (error.FileVersion, error.CurrentVersion));
    }

    [Fact]
    public async Task OpenReadOnlyAsync_CandleDatabase_ReadsButRefusesWrites()
    {
        var path = _folder.File("candles.db");
        await using (var writer = await CandleDatabase.OpenAsync(path, Ct))
        {
            await writer.InsertMissingAsync("BTC-USDT", Bar.OneMinute, TestCandles.Minutes(0, 5), Ct);
        }

        await using var database = await CandleDatabase.OpenReadOnlyAsync(path, Ct);

        Assert.True(database.IsReadOnly);
        Assert.Equal(5, (await database.GetOpenTimesAsync("BTC-USDT", Bar.OneMinute, TestCandles.M(0), TestCandles.M(10), Ct)).Count);
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.InsertMissingAsync("BTC-USDT", Bar.OneMinute, TestCandles.Minutes(5, 1), Ct));
    }
}
