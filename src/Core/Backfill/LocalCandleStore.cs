using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Backfill;

/// <summary>A candle database in a local SQLite file (the CLI's <c>--db</c>).</summary>
public sealed class LocalCandleStore : ICandleStore, IDisposable
{
    // SQLite serialises writers anyway; one writer at a time here keeps busy waits out of the picture.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly string _path;

    public LocalCandleStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
    }

    public string Description => _path;

    public async Task<T> ReadAsync<T>(Func<CandleDatabase, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var database = await OpenAsync(cancellationToken);
        return await read(database, cancellationToken);
    }

    public async Task<T> WriteAsync<T>(Func<CandleDatabase, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var database = await OpenAsync(cancellationToken);
            return await write(database, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose() => _writeGate.Dispose();

    private Task<CandleDatabase> OpenAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return CandleDatabase.OpenAsync(_path, cancellationToken);
    }
}
