using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Sync;

public sealed class DatabaseBlobTransferTests(AzuriteFixture azurite)
{
    // 4 KiB blocks keep the files of these tests small.
    private static readonly BlockSizePolicy SmallBlocks = new(4096, 32_768);

    [Fact]
    public async Task UploadAsync_BlobChangedSinceTheMergeStartedThoughTheLeaseIsHeld_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var folder = TempDirectory.Create();
        var blob = container.Client.GetBlockBlobClient("db.sqlite");
        var started = (await blob.UploadAsync(new MemoryStream("v1"u8.ToArray()), cancellationToken: ct)).Value.ETag;
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);
        var changed = (await blob.UploadAsync(new MemoryStream("v2"u8.ToArray()), new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { LeaseId = lease.LeaseId },
        }, ct)).Value.ETag;
        var path = folder.Combine("merged.sqlite");
        await File.WriteAllTextAsync(path, "v3", ct);
        var committed = await DatabaseBlobTransfer.GetBlockMapAsync(blob, changed, lease.LeaseId, ct);

        // The lease is valid, but the version the merge started from is gone: the lease alone is not trusted.
        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => DatabaseBlobTransfer.UploadAsync(blob, path, committed, SmallBlocks, lease.LeaseId, started, ct));

        Assert.Equal((412, BlobErrorCode.ConditionNotMet.ToString()), (error.Status, error.ErrorCode));
        Assert.Equal(changed, (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ETag);
        await lease.ReleaseAsync(cancellationToken: ct);
    }

    [Fact]
    public async Task UploadAsync_LeaseAndETagMatch_CommitsTheFileAsABlockMapAndReturnsItsNewETag()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var folder = TempDirectory.Create();
        var blob = container.Client.GetBlockBlobClient("db.sqlite");
        var started = (await blob.UploadAsync(new MemoryStream("v1"u8.ToArray()), cancellationToken: ct)).Value.ETag;
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);
        var path = folder.Combine("merged.sqlite");
        var content = RandomBytes(10_000, seed: 1);
        await File.WriteAllBytesAsync(path, content, ct);
        var committed = await DatabaseBlobTransfer.GetBlockMapAsync(blob, started, lease.LeaseId, ct);

        var upload = await DatabaseBlobTransfer.UploadAsync(blob, path, committed, SmallBlocks, lease.LeaseId, started, ct);

        var properties = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value;
        Assert.Equal((properties.ETag, 10_000L, 3, 0), (upload.ETag, upload.BytesUploaded, upload.BlocksStaged, upload.BlocksReused));
        Assert.Equal("application/vnd.sqlite3", properties.ContentType);
        Assert.Equal("4096", properties.Metadata[DatabaseBlobTransfer.BlockSizeMetadata]);
        var blocks = (await blob.GetBlockListAsync(BlockListTypes.Committed, cancellationToken: ct)).Value.CommittedBlocks.ToList();
        Assert.Equal([4096L, 4096L, 1808L], blocks.Select(b => b.SizeLong));
        Assert.Equal(upload.Map.Ids, blocks.Select(b => b.Name));
        Assert.Equal(content, (await blob.DownloadContentAsync(ct)).Value.Content.ToArray());
        await lease.ReleaseAsync(cancellationToken: ct);
    }

    [Fact]
    public async Task UploadAsync_OneBlockChanged_StagesOnlyThatBlock()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var folder = TempDirectory.Create();
        var blob = container.Client.GetBlockBlobClient("db.sqlite");
        var path = folder.Combine("db.sqlite");
        var content = RandomBytes(8 * 4096, seed: 2);
        await File.WriteAllBytesAsync(path, content, ct);
        Assert.True(await DatabaseBlobTransfer.CreateAsync(blob, path, SmallBlocks, ct));
        var first = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ETag;
        var committed = await DatabaseBlobTransfer.GetBlockMapAsync(blob, first, leaseId: null, ct);
        content[5 * 4096 + 17] ^= 0xFF;
        await File.WriteAllBytesAsync(path, content, ct);
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);

        var upload = await DatabaseBlobTransfer.UploadAsync(blob, path, committed, SmallBlocks, lease.LeaseId, first, ct);

        Assert.Equal((4096L, 1, 7), (upload.BytesUploaded, upload.BlocksStaged, upload.BlocksReused));
        Assert.Equal(content, (await blob.DownloadContentAsync(ct)).Value.Content.ToArray());
        await lease.ReleaseAsync(cancellationToken: ct);
    }

    [Fact]
    public async Task CreateAsync_BlobAlreadyThere_ReturnsFalseAndLeavesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var folder = TempDirectory.Create();
        var blob = container.Client.GetBlockBlobClient("db.sqlite");
        var existing = (await blob.UploadAsync(new MemoryStream("someone else's"u8.ToArray()), cancellationToken: ct)).Value.ETag;
        var path = folder.Combine("empty.sqlite");
        SqliteDatabaseFile.CreateEmpty(path);

        Assert.False(await DatabaseBlobTransfer.CreateAsync(blob, path, SmallBlocks, ct));
        Assert.Equal(existing, (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ETag);
    }

    [Fact]
    public async Task GetBlockMapAsync_BlobChangedSinceItsETagWasRead_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        var blob = container.Client.GetBlockBlobClient("db.sqlite");
        var read = (await blob.UploadAsync(new MemoryStream("v1"u8.ToArray()), cancellationToken: ct)).Value.ETag;
        await blob.UploadAsync(new MemoryStream("v2"u8.ToArray()), cancellationToken: ct);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => DatabaseBlobTransfer.GetBlockMapAsync(blob, read, leaseId: null, ct));

        Assert.Equal(412, error.Status);
    }

    [Fact]
    public async Task DownloadAsync_BlobChangedSinceItsBlockListWasRead_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var folder = TempDirectory.Create();
        var blob = container.Client.GetBlockBlobClient("db.sqlite");
        var read = (await blob.UploadAsync(new MemoryStream("v1"u8.ToArray()), cancellationToken: ct)).Value.ETag;
        var map = await DatabaseBlobTransfer.GetBlockMapAsync(blob, read, leaseId: null, ct);
        await blob.UploadAsync(new MemoryStream("v2"u8.ToArray()), cancellationToken: ct);

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => DatabaseBlobTransfer.DownloadAsync(blob, map, read, folder.Combine("copy"), localCopy: null, localMap: null, ct));

        Assert.Equal(412, error.Status);
    }

    [Fact]
    public async Task DownloadAsync_LocalCopyOfThePreviousVersion_FetchesOnlyTheChangedBlocks()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var folder = TempDirectory.Create();
        var blob = container.Client.GetBlockBlobClient("db.sqlite");
        var writerPath = folder.Combine("writer.sqlite");
        var content = RandomBytes(10 * 4096, seed: 3);
        await File.WriteAllBytesAsync(writerPath, content, ct);
        Assert.True(await DatabaseBlobTransfer.CreateAsync(blob, writerPath, SmallBlocks, ct));
        var first = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ETag;
        var firstMap = await DatabaseBlobTransfer.GetBlockMapAsync(blob, first, leaseId: null, ct);
        var readerPath = folder.Combine("reader.sqlite");
        await File.WriteAllBytesAsync(readerPath, content, ct);
        // The next version changes block 2, block 9 and adds block 10 (the file grew by half a block).
        var next = content.Concat(RandomBytes(2048, seed: 4)).ToArray();
        next[2 * 4096] ^= 1;
        next[9 * 4096 + 100] ^= 1;
        await File.WriteAllBytesAsync(writerPath, next, ct);
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct);
        var upload = await DatabaseBlobTransfer.UploadAsync(blob, writerPath, firstMap, SmallBlocks, lease.LeaseId, first, ct);
        await lease.ReleaseAsync(cancellationToken: ct);
        var target = await DatabaseBlobTransfer.GetBlockMapAsync(blob, upload.ETag, leaseId: null, ct);

        // Once with the reader's block list known, once by hashing its copy: the same three blocks move.
        var known = await DatabaseBlobTransfer.DownloadAsync(blob, target, upload.ETag, folder.Combine("known"), readerPath, firstMap, ct);
        var hashed = await DatabaseBlobTransfer.DownloadAsync(blob, target, upload.ETag, folder.Combine("hashed"), readerPath, localMap: null, ct);

        Assert.Equal((4096L + 4096 + 2048, 3, 8), (known.BytesDownloaded, known.BlocksFetched, known.BlocksReused));
        Assert.Equal((known.BytesDownloaded, known.BlocksFetched, known.BlocksReused), (hashed.BytesDownloaded, hashed.BlocksFetched, hashed.BlocksReused));
        Assert.Equal(next, await File.ReadAllBytesAsync(folder.Combine("known"), ct));
        Assert.Equal(next, await File.ReadAllBytesAsync(folder.Combine("hashed"), ct));
        Assert.Equal(content, await File.ReadAllBytesAsync(readerPath, ct));
    }

    [Fact]
    public async Task DownloadAsync_BlockWhoseContentDoesNotMatchItsId_ThrowsNamingTheBlock()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        using var folder = TempDirectory.Create();
        var blob = container.Client.GetBlockBlobClient("db.sqlite");
        var content = RandomBytes(3 * 4096, seed: 5);
        // Block 1 is committed under the ID of other content: what a corrupted write or download looks like.
        var ids = new[]
        {
            BlockId.Create(4096, 0, content.AsSpan(0, 4096)),
            BlockId.Create(4096, 1, RandomBytes(4096, seed: 6)),
            BlockId.Create(4096, 2, content.AsSpan(8192, 4096)),
        };
        for (var i = 0; i < ids.Length; i++)
        {
            await blob.StageBlockAsync(ids[i], new MemoryStream(content, i * 4096, 4096), cancellationToken: ct);
        }

        var etag = (await blob.CommitBlockListAsync(ids, cancellationToken: ct)).Value.ETag;
        var map = await DatabaseBlobTransfer.GetBlockMapAsync(blob, etag, leaseId: null, ct);

        var error = await Assert.ThrowsAsync<CorruptDatabaseBlobException>(
            () => DatabaseBlobTransfer.DownloadAsync(blob, map, etag, folder.Combine("copy"), localCopy: null, localMap: null, ct));

        Assert.Equal(4096, map.BlockSize);
        Assert.Contains("block 1 (bytes 4096 to 8191)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{container.Name}/db.sqlite'", error.Message, StringComparison.Ordinal);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
