using Azure.Storage.Blobs;

namespace Blofin.Backfill.Testing;

/// <summary>A randomly named blob container that exists for one test and is deleted on dispose.</summary>
public sealed class TestBlobContainer : IAsyncDisposable
{
    internal TestBlobContainer(BlobContainerClient client) => Client = client;

    public BlobContainerClient Client { get; }

    public string Name => Client.Name;

    public async ValueTask DisposeAsync() => await Client.DeleteIfExistsAsync();
}
