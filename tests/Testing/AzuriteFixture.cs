using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Xunit;

namespace Blofin.Backfill.Testing;

/// <summary>One Azurite for a test assembly: the one named by <c>AZURITE_CONNECTION_STRING</c>
/// (scripts/test.sh sets it), or else one this fixture starts from the repository's node_modules on the
/// first test that asks and stops on dispose. Use it as <c>[assembly: AssemblyFixture(typeof(AzuriteFixture))]</c>.</summary>
/// <remarks>Tests that never ask for storage never start Azurite. A test that asks and cannot get it
/// fails with the reason; it never passes silently.</remarks>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string ConnectionStringVariable = "AZURITE_CONNECTION_STRING";

    private readonly SemaphoreSlim _startGate = new(1, 1);
    private AzuriteProcess? _process;
    private string? _connectionString;
    private Exception? _startFailure;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>The connection string of the running Azurite, starting it on first use.</summary>
    public async ValueTask<string> GetConnectionStringAsync(CancellationToken cancellationToken)
    {
        if (_connectionString is not null)
        {
            return _connectionString;
        }

        await _startGate.WaitAsync(cancellationToken);
        try
        {
            if (_startFailure is not null)
            {
                throw new InvalidOperationException($"Azurite could not be started: {_startFailure.Message}", _startFailure);
            }

            if (_connectionString is null)
            {
                var fromEnvironment = Environment.GetEnvironmentVariable(ConnectionStringVariable);
                if (!string.IsNullOrWhiteSpace(fromEnvironment))
                {
                    _connectionString = fromEnvironment;
                }
                else
                {
                    try
                    {
                        _process = await AzuriteProcess.StartAsync(cancellationToken);
                        _connectionString = _process.ConnectionString;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        _startFailure = ex;
                        throw;
                    }
                }
            }

            return _connectionString;
        }
        finally
        {
            _startGate.Release();
        }
    }

    public async ValueTask<BlobServiceClient> GetBlobServiceClientAsync(CancellationToken cancellationToken) =>
        new(await GetConnectionStringAsync(cancellationToken));

    public async ValueTask<QueueServiceClient> GetQueueServiceClientAsync(
        QueueClientOptions? options = null, CancellationToken cancellationToken = default) =>
        new(await GetConnectionStringAsync(cancellationToken), options ?? new QueueClientOptions());

    /// <summary>Creates a randomly named, empty container; <c>await using</c> deletes it.</summary>
    public async Task<TestBlobContainer> CreateContainerAsync(CancellationToken cancellationToken)
    {
        var service = await GetBlobServiceClientAsync(cancellationToken);
        var container = service.GetBlobContainerClient(RandomName("test"));
        await container.CreateAsync(cancellationToken: cancellationToken);
        return new TestBlobContainer(container);
    }

    /// <summary>A randomly named container that does not exist yet (for code that creates it);
    /// <c>await using</c> deletes it if it was created.</summary>
    public async Task<TestBlobContainer> ReserveContainerAsync(CancellationToken cancellationToken)
    {
        var service = await GetBlobServiceClientAsync(cancellationToken);
        return new TestBlobContainer(service.GetBlobContainerClient(RandomName("test")));
    }

    /// <summary>Creates a randomly named, empty queue; <c>await using</c> deletes it.</summary>
    public async Task<TestQueue> CreateQueueAsync(QueueClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var service = await GetQueueServiceClientAsync(options, cancellationToken);
        var queue = service.GetQueueClient(RandomName("test"));
        await queue.CreateAsync(cancellationToken: cancellationToken);
        return new TestQueue(queue);
    }

    /// <summary>A lower-case name valid for a container or a queue: the prefix, a dash and 32 hex digits.</summary>
    public static string RandomName(string prefix) => $"{prefix.ToLowerInvariant()}-{Guid.NewGuid():N}";

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }

        _startGate.Dispose();
    }
}
