using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Sync;

public sealed class DatabaseBlobTransferTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task UploadAsync_BlobChangedSinceTheMergeStartedThoughTheLeaseIsHeld_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var folder = TempDirectory.Create();
        var blob = container.Client.GetBlobClient("db.sqlite");
        var started = (await blob.UploadAsync(BinaryData.FromString("v1"), ct)).Value.ETag;
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);
        var changed = (await blob.UploadAsync(BinaryData.FromString("v2"), new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { LeaseId = lease.LeaseId },
        }, ct)).Value.ETag;
        var path = folder.Combine("merged.sqlite");
        await File.WriteAllTextAsync(path, "v3", ct);

        // The lease is valid, but the version the merge started from is gone: the lease alone is not trusted.
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => DatabaseBlobTransfer.UploadAsync(blob, path, lease.LeaseId, started, ct));

        Assert.Equal((412, BlobErrorCode.ConditionNotMet.ToString()), (error.Status, error.ErrorCode));
        Assert.Equal(changed, (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ETag);
        await lease.ReleaseAsync(cancellationToken: ct);
    }

    [Fact]
    public async Task UploadAsync_LeaseAndETagMatch_ReplacesTheBlobAndReturnsItsNewETag()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var folder = TempDirectory.Create();
        var blob = container.Client.GetBlobClient("db.sqlite");
        var started = (await blob.UploadAsync(BinaryData.FromString("v1"), ct)).Value.ETag;
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);
        var path = folder.Combine("merged.sqlite");
        await File.WriteAllTextAsync(path, "v2!", ct);

        var (etag, bytes) = await DatabaseBlobTransfer.UploadAsync(blob, path, lease.LeaseId, started, ct);

        var properties = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value;
        Assert.Equal((properties.ETag, 3L), (etag, bytes));
        Assert.Equal("application/vnd.sqlite3", properties.ContentType);
        await lease.ReleaseAsync(cancellationToken: ct);
    }

    [Fact]
    public async Task CreateAsync_BlobAlreadyThere_ReturnsFalseAndLeavesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var folder = TempDirectory.Create();
        var blob = container.Client.GetBlobClient("db.sqlite");
        var existing = (await blob.UploadAsync(BinaryData.FromString("someone else's"), ct)).Value.ETag;
        var path = folder.Combine("empty.sqlite");
        SqliteDatabaseFile.CreateEmpty(path);

        Assert.False(await DatabaseBlobTransfer.CreateAsync(blob, path, ct));
        Assert.Equal(existing, (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ETag);
    }

    [Fact]
    public async Task DownloadAsync_BlobChangedSinceItsETagWasRead_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var folder = TempDirectory.Create();
        var blob = container.Client.GetBlobClient("db.sqlite");
        var read = (await blob.UploadAsync(BinaryData.FromString("v1"), ct)).Value.ETag;
        await blob.UploadAsync(BinaryData.FromString("v2"), overwrite: true, ct);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => DatabaseBlobTransfer.DownloadAsync(blob, folder.Combine("copy"), read, ct));

        Assert.Equal(412, error.Status);
    }
}
