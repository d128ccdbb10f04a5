using Azure;

namespace Blofin.Backfill.Sync;

/// <summary>The local copy of the database blob, the ETag it was taken at, and the working copies merges write to.</summary>
/// <remarks>
/// Files, all in one folder: <c>{blob}</c> (the copy planners read), <c>{blob}.etag</c> (its ETag; no ETag file
/// means no trusted copy), <c>{blob}.blocks</c> (the committed block list of that version, labelled with its ETag,
/// so a merge needs no Get Block List to know what is already in the blob), <c>{blob}.lock</c> (held while the copy is replaced or a merge runs, also against
/// other processes sharing the folder), and <c>{blob}.work-*</c> / <c>.download-*</c> / <c>.empty-*</c> / <c>.blocks-*</c>
/// (short-lived, deleted after use and swept when the lock is taken).
/// </remarks>
internal sealed class DatabaseCache : IDisposable
{
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly string[] SqliteCompanions = ["-wal", "-shm", "-journal"];

    private readonly SemaphoreSlim _processGate = new(1, 1);
    private readonly TimeProvider _timeProvider;
    private readonly string _directory;
    private readonly string _etagPath;
    private readonly string _blocksPath;
    private readonly string _lockPath;

    public DatabaseCache(string directory, string fileName, TimeProvider timeProvider)
    {
        _directory = directory;
        _timeProvider = timeProvider;
        DatabasePath = Path.Combine(directory, fileName);
        _etagPath = DatabasePath + ".etag";
        _blocksPath = DatabasePath + ".blocks";
        _lockPath = DatabasePath + ".lock";
    }

    /// <summary>The local copy of the blob (it exists only once something was downloaded or merged).</summary>
    public string DatabasePath { get; }

    /// <summary>True when a copy with a known ETag is present.</summary>
    public bool HasCopy => ReadETag() is not null;

    /// <summary>True when the copy is the blob's version <paramref name="etag"/>.</summary>
    public bool IsCurrent(ETag etag) => ReadETag() is { } cached && cached == Normalize(etag);

    /// <summary>The committed blocks of the blob version the copy holds, when that copy is version
    /// <paramref name="etag"/> and its block list was recorded; else null.</summary>
    public BlockMap? ReadBlockMap(ETag etag) => IsCurrent(etag) ? ReadBlockMap() : null;

    /// <summary>The committed blocks of whatever version the copy holds, when known; else null.</summary>
    public BlockMap? ReadBlockMap()
    {
        if (ReadETag() is not { } etag)
        {
            return null;
        }

        try
        {
            using var reader = new StreamReader(_blocksPath);
            return BlockMap.TryRead(reader, etag);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Takes the cache's lock (in this process and against others sharing the folder) and sweeps
    /// the leftovers of merges that died.</summary>
    public async Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _processGate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(_directory);
            while (true)
            {
                try
                {
                    // FileShare.None takes an advisory lock (flock) on Unix; the OS drops it when a process dies.
                    var file = new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    SweepLeftovers();
                    return new Held(file, _processGate);
                }
                catch (IOException) when (File.Exists(_lockPath))
                {
                    await Task.Delay(LockPollInterval, _timeProvider, cancellationToken);
                }
            }
        }
        catch
        {
            _processGate.Release();
            throw;
        }
    }

    /// <summary>A fresh, unused path next to the copy (nothing is created).</summary>
    public string NewTempPath(string kind)
    {
        Directory.CreateDirectory(_directory);
        return $"{DatabasePath}.{kind}-{Guid.NewGuid():N}";
    }

    /// <summary>Copies the local copy to a new working file and returns its path. Hold the lock.</summary>
    public string CreateWorkingCopy()
    {
        var work = NewTempPath("work");
        File.Copy(DatabasePath, work);
        return work;
    }

    /// <summary>Makes <paramref name="file"/> (closed, self-contained) the local copy, known as version
    /// <paramref name="etag"/> whose committed blocks are <paramref name="blocks"/> (when known). Hold the lock.</summary>
    public void Replace(string file, ETag etag, BlockMap? blocks = null)
    {
        // The ETag goes first and comes back last: a crash in between leaves a copy without an ETag, which
        // is downloaded again, never a copy labelled with a version it does not hold. The block list carries the
        // ETag it belongs to, so a stale one is never taken for the current one.
        File.Delete(_etagPath);
        File.Delete(_blocksPath);
        DeleteCompanions(DatabasePath);
        File.Move(file, DatabasePath, overwrite: true);
        if (blocks is not null)
        {
            var blocksTemp = NewTempPath("blocks");
            using (var writer = new StreamWriter(blocksTemp))
            {
                blocks.WriteTo(writer, Normalize(etag));
            }

            File.Move(blocksTemp, _blocksPath, overwrite: true);
        }

        var etagTemp = NewTempPath("etag");
        File.WriteAllText(etagTemp, Normalize(etag));
        File.Move(etagTemp, _etagPath, overwrite: true);
    }

    public void Dispose() => _processGate.Dispose();

    /// <summary>Deletes a SQLite file and its journal, WAL and shared-memory files, if present.</summary>
    public static void Delete(string path)
    {
        File.Delete(path);
        DeleteCompanions(path);
    }

    private static void DeleteCompanions(string path)
    {
        foreach (var suffix in SqliteCompanions)
        {
            File.Delete(path + suffix);
        }
    }

    private static string Normalize(ETag etag) => etag.ToString().Trim('"');

    private string? ReadETag()
    {
        try
        {
            return File.Exists(DatabasePath) ? File.ReadAllText(_etagPath).Trim() : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private void SweepLeftovers()
    {
        var prefix = Path.GetFileName(DatabasePath) + ".";
        foreach (var kind in new[] { "work-", "download-", "empty-", "etag-", "blocks-" })
        {
            foreach (var leftover in Directory.EnumerateFiles(_directory, prefix + kind + "*"))
            {
                File.Delete(leftover);
            }
        }
    }

    private sealed class Held(FileStream file, SemaphoreSlim processGate) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await file.DisposeAsync();
            processGate.Release();
        }
    }
}
