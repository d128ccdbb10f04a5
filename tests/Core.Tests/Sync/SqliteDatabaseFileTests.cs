using Blofin.Backfill.SyncWorker;
using Blofin.Backfill.Testing;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Sync;

public sealed class SqliteDatabaseFileTests
{
    [Fact]
    public async Task CreateEmpty_NewPath_WritesASoundOnePageDatabase()
    {
        using var folder = TempDirectory.Create();
        var path = folder.Combine("empty.sqlite");

        SqliteDatabaseFile.CreateEmpty(path);

        Assert.Equal(4096, new FileInfo(path).Length);
        Assert.Null(await SqliteDatabaseFile.CheckAsync(path, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(50, "shorter than a SQLite header")]
    [InlineData(8192, "no SQLite header")]
    public async Task CheckAsync_NotADatabase_SaysWhatIsWrong(int length, string problem)
    {
        using var folder = TempDirectory.Create();
        var path = folder.Combine("garbage.sqlite");
        var bytes = new byte[length];
        new Random(1).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);

        Assert.Contains(problem, await SqliteDatabaseFile.CheckAsync(path, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_DamagedTablePage_ReportsTheQuickCheck()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = TempDirectory.Create();
        var path = folder.Combine("damaged.sqlite");
        await CandleRows.InsertAsync(path, "BTC-USDT", 1_700_000_040_000, 2000, "run", ct);
        SqliteConnection.ClearAllPools();
        Assert.Null(await SqliteDatabaseFile.FinishAsync(path, ct));
        // Scribble over the middle of the file, past the header page: b-tree pages no longer parse.
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Position = file.Length / 2;
            var noise = new byte[8192];
            new Random(3).NextBytes(noise);
            await file.WriteAsync(noise, ct);
        }

        Assert.NotNull(await SqliteDatabaseFile.CheckAsync(path, ct));
    }

    [Fact]
    public async Task FinishAsync_WalWithRows_FoldsItIntoOneRollbackJournalFile()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = TempDirectory.Create();
        var path = folder.Combine("wal.sqlite");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);";
            await command.ExecuteNonQueryAsync(ct);
        }

        var problem = await SqliteDatabaseFile.FinishAsync(path, ct);

        Assert.Null(problem);
        Assert.False(File.Exists(path + "-wal"));
        var header = new byte[20];
        await using (var file = File.OpenRead(path))
        {
            await file.ReadExactlyAsync(header, ct);
        }

        Assert.Equal((1, 1), (header[18], header[19]));
    }

    [Fact]
    public async Task FinishAsync_ConnectionLeftOpenInWalMode_ThrowsSayingApplyMustDisposeIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = TempDirectory.Create();
        var path = folder.Combine("open.sqlite");
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(ct);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE t(x); BEGIN; INSERT INTO t VALUES (1);";
            await command.ExecuteNonQueryAsync(ct);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteDatabaseFile.FinishAsync(path, ct));

        Assert.Contains("dispose", error.Message, StringComparison.Ordinal);
    }
}
