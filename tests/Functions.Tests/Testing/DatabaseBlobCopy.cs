using Azure.Storage.Blobs;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Blofin.Backfill.Testing;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Functions.Testing;

/// <summary>A local copy of the database blob, opened read-only, deleted on dispose.</summary>
internal sealed class DatabaseBlobCopy : IAsyncDisposable
{
    private readonly TempDirectory _folder;

    private DatabaseBlobCopy(TempDirectory folder, string path, CandleDatabase database)
    {
        _folder = folder;
        Path = path;
        Database = database;
    }

    public string Path { get; }

    public CandleDatabase Database { get; }

    public static async Task<DatabaseBlobCopy> DownloadAsync(BlobContainerClient container, string blobName, CancellationToken cancellationToken)
    {
        var folder = TempDirectory.Create();
        try
        {
            var path = folder.Combine(blobName);
            await container.GetBlobClient(blobName).DownloadToAsync(path, cancellationToken);
            return new DatabaseBlobCopy(folder, path, await CandleDatabase.OpenReadOnlyAsync(path, cancellationToken));
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>The 1m rows stored for <paramref name="instId"/>, and how many distinct open times they have.</summary>
    public async Task<(long Rows, long DistinctOpenTimes)> CountAsync(string instId, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), count(DISTINCT ts) FROM candles WHERE inst_id = $instId AND bar = $bar;";
        command.Parameters.AddWithValue("$instId", instId);
        command.Parameters.AddWithValue("$bar", Bar.OneMinute.Name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>SQLite's full <c>PRAGMA integrity_check</c> of the file ("ok" when sound).</summary>
    public async Task<string> IntegrityCheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        _folder.Dispose();
    }

    private SqliteConnection Open() => new($"Data Source={Path};Mode=ReadOnly;Pooling=False");
}
