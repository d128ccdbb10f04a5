using Azure;
using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Sync;

public sealed class DatabaseCacheTests
{
    [Fact]
    public async Task LockAsync_HeldThroughAnotherHandleOnTheFolder_WaitsUntilItIsReleased()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = TempDirectory.Create();
        // Two caches over one folder stand for two processes sharing it: only the file lock stands between them.
        using var first = new DatabaseCache(folder.Path, "candles.sqlite", TimeProvider.System);
        using var second = new DatabaseCache(folder.Path, "candles.sqlite", TimeProvider.System);
        var held = await first.LockAsync(ct);

        var waiting = second.LockAsync(ct);
        await Task.Delay(300, ct);
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        await using var taken = await waiting.WaitAsync(TimeSpan.FromSeconds(10), ct);
    }

    [Fact]
    public async Task LockAsync_LeftoversOfADeadMerge_SweepsThem()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = TempDirectory.Create();
        using var cache = new DatabaseCache(folder.Path, "candles.sqlite", TimeProvider.System);
        var leftovers = new[] { "candles.sqlite.work-1", "candles.sqlite.work-1-wal", "candles.sqlite.download-2", "candles.sqlite.empty-3" };
        foreach (var name in leftovers)
        {
            await File.WriteAllTextAsync(folder.Combine(name), "x", ct);
        }

        await File.WriteAllTextAsync(folder.Combine("other.sqlite.work-1"), "x", ct);

        await using (await cache.LockAsync(ct))
        {
            Assert.All(leftovers, name => Assert.False(File.Exists(folder.Combine(name)), name));
            Assert.True(File.Exists(folder.Combine("other.sqlite.work-1")));
        }
    }

    [Fact]
    public async Task Replace_NewFileAndETag_MakesItTheCurrentCopy()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = TempDirectory.Create();
        using var cache = new DatabaseCache(folder.Path, "candles.sqlite", TimeProvider.System);
        Assert.False(cache.HasCopy);
        await using (await cache.LockAsync(ct))
        {
            var download = cache.NewTempPath("download");
            SqliteDatabaseFile.CreateEmpty(download);

            cache.Replace(download, new ETag("\"0x8DC0001\""));
        }

        Assert.True(cache.HasCopy);
        Assert.True(cache.IsCurrent(new ETag("\"0x8DC0001\"")));
        Assert.True(cache.IsCurrent(new ETag("0x8DC0001")));
        Assert.False(cache.IsCurrent(new ETag("\"0x8DC0002\"")));
    }

    [Fact]
    public void HasCopy_CopyWithoutETagFile_IsFalse()
    {
        using var folder = TempDirectory.Create();
        using var cache = new DatabaseCache(folder.Path, "candles.sqlite", TimeProvider.System);
        SqliteDatabaseFile.CreateEmpty(cache.DatabasePath);

        Assert.False(cache.HasCopy);
        Assert.False(cache.IsCurrent(new ETag("\"0x1\"")));
    }
}
