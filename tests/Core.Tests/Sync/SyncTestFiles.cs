using Azure.Storage.Blobs;
using Blofin.Backfill.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Sync;

/// <summary>Builds <see cref="LeasedDatabaseFile"/>s against Azurite and reads what the blob holds.</summary>
internal static class SyncTestFiles
{
    public static LeasedDatabaseFile Create(
        string connectionString,
        string container,
        string cacheDirectory,
        TimeProvider? timeProvider = null,
        Action<DatabaseBlobOptions>? configure = null,
        ILogger<LeasedDatabaseFile>? logger = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageClients.ConnectionName] = connectionString })
            .Build();
        var options = new DatabaseBlobOptions
        {
            Container = container,
            CacheDirectory = cacheDirectory,
            LeaseDuration = TimeSpan.FromSeconds(15),
            LeaseAcquireTimeout = TimeSpan.FromSeconds(60),
            LeaseRetryDelay = TimeSpan.FromMilliseconds(50),
            LeaseRetryMaxDelay = TimeSpan.FromMilliseconds(500),
        };
        configure?.Invoke(options);
        return new LeasedDatabaseFile(
            new StorageClients(configuration),
            Options.Create(options),
            timeProvider ?? TimeProvider.System,
            logger ?? NullLogger<LeasedDatabaseFile>.Instance);
    }

    public static async Task<LeasedDatabaseFile> CreateAsync(
        AzuriteFixture azurite, string container, string cacheDirectory, CancellationToken cancellationToken,
        TimeProvider? timeProvider = null, Action<DatabaseBlobOptions>? configure = null, ILogger<LeasedDatabaseFile>? logger = null) =>
        Create(await azurite.GetConnectionStringAsync(cancellationToken), container, cacheDirectory, timeProvider, configure, logger);

    /// <summary>Downloads the blob and reads it: its candle keys, integrity verdict and journal mode bytes.</summary>
    public static async Task<BlobDatabase> ReadBlobAsync(BlobContainerClient container, string blobName, CancellationToken cancellationToken)
    {
        using var folder = TempDirectory.Create();
        var path = folder.Combine("copy.sqlite");
        await container.GetBlobClient(blobName).DownloadToAsync(path, cancellationToken);
        var header = new byte[20];
        await using (var file = File.OpenRead(path))
        {
            await file.ReadExactlyAsync(header, cancellationToken);
        }

        var keys = new List<(string InstId, long Ts)>();
        string integrity;
        var runs = 0L;
        await using (var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync(cancellationToken);
            await using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check;";
                integrity = (string)(await check.ExecuteScalarAsync(cancellationToken))!;
            }

            await using (var exists = connection.CreateCommand())
            {
                exists.CommandText = "SELECT count(*) FROM sqlite_schema WHERE name = 'candles';";
                if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! == 1)
                {
                    await using var select = connection.CreateCommand();
                    select.CommandText = "SELECT inst_id, ts FROM candles ORDER BY inst_id, ts;";
                    await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        keys.Add((reader.GetString(0), reader.GetInt64(1)));
                    }

                    await using var count = connection.CreateCommand();
                    count.CommandText = "SELECT count(*) FROM sync_runs;";
                    await reader.DisposeAsync();
                    runs = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
                }
            }
        }

        return new BlobDatabase(keys, integrity, header[18], header[19], runs, File.Exists(path + "-wal"));
    }

    /// <summary>The candle keys of <paramref name="minutes"/> minutes of <paramref name="instId"/> from <paramref name="fromMs"/>.</summary>
    public static IEnumerable<(string InstId, long Ts)> Keys(string instId, long fromMs, int minutes) =>
        Enumerable.Range(0, minutes).Select(m => (instId, fromMs + (m * 60_000L)));
}

/// <summary>What a downloaded database blob holds.</summary>
internal sealed record BlobDatabase(
    IReadOnlyList<(string InstId, long Ts)> Keys, string Integrity, byte WriteVersion, byte ReadVersion, long Runs, bool HadWal);
