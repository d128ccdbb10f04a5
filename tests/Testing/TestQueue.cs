using Azure.Storage.Queues;

namespace Blofin.Backfill.Testing;

/// <summary>A randomly named queue that exists for one test and is deleted on dispose.</summary>
public sealed class TestQueue : IAsyncDisposable
{
    internal TestQueue(QueueClient client) => Client = client;

    public QueueClient Client { get; }

    public string Name => Client.Name;

    public async ValueTask DisposeAsync() => await Client.DeleteIfExistsAsync();
}
