using System.Buffers;
using System.Globalization;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Win32.SafeHandles;

namespace Blofin.Backfill.Sync;

/// <summary>Every byte that moves between the database blob and a local file goes through here. The blob is a
/// block blob kept as a <see cref="BlockMap"/>: fixed-size, page-aligned chunks of the file, each with an ID made of
/// its position and a hash of its content, so only the chunks that changed move in either direction.</summary>
/// <remarks>
/// Upload: hash the file's chunks, stage (Put Block, under the lease) only those whose ID is not committed at that
/// place, then commit the whole list (Put Block List, under the lease and If-Match the version the merge started
/// from) in one atomic step; blocks staged by a writer that dies before its commit never become part of the blob.
/// Download: read the committed list, keep the chunks the local copy already has, fetch the others with ranged
/// reads (If-Match), check each against its ID, and only then hand the file over.
/// </remarks>
internal static class DatabaseBlobTransfer
{
    /// <summary>The metadata entry recording the map's block size (a person's hint; the IDs carry it too).</summary>
    public const string BlockSizeMetadata = "blocksize";

    private const string ContentType = "application/vnd.sqlite3";
    private const int MaxParallelRequests = 8;
    private const int MaxRangeBytes = 4 * 1024 * 1024;

    /// <summary>The committed blocks of version <paramref name="etag"/> of the blob (Get Block List takes no
    /// If-Match, so the answer's ETag is compared instead).</summary>
    /// <exception cref="RequestFailedException">412 when the blob is no longer at <paramref name="etag"/>.</exception>
    public static async Task<BlockMap> GetBlockMapAsync(BlockBlobClient blob, ETag etag, string? leaseId, CancellationToken cancellationToken)
    {
        var response = await blob.GetBlockListAsync(
            BlockListTypes.Committed,
            conditions: leaseId is null ? null : new BlobRequestConditions { LeaseId = leaseId },
            cancellationToken: cancellationToken);
        if (!SameVersion(response.Value.ETag, etag))
        {
            throw VersionChanged(blob, etag, response.Value.ETag);
        }

        return BlockMap.FromBlockList(response.Value);
    }

    /// <summary>Writes version <paramref name="etag"/> of the blob, described by <paramref name="target"/>, to
    /// <paramref name="path"/>: the blocks <paramref name="localCopy"/> already holds are copied from it (known by
    /// <paramref name="localMap"/>, else by hashing it), the others are fetched in parallel ranged reads,
    /// If-Match <paramref name="etag"/>, and checked against their IDs before they are written.</summary>
    /// <exception cref="CorruptDatabaseBlobException">A fetched block does not match its ID.</exception>
    /// <exception cref="RequestFailedException">412 when the blob changed meanwhile.</exception>
    public static async Task<BlockDownload> DownloadAsync(
        BlockBlobClient blob,
        BlockMap target,
        ETag etag,
        string path,
        string? localCopy,
        BlockMap? localMap,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var reuse = new bool[target.Count];
        var reused = 0;
        if (target.IsMapped && localCopy is not null && File.Exists(localCopy))
        {
            reused = await FindReusableAsync(target, localCopy, localMap, reuse, cancellationToken);
        }

        if (reused > 0)
        {
            File.Copy(localCopy!, path, overwrite: true);
        }

        var ranges = target.IsMapped ? PlanRanges(target, reuse) : WholeFileRanges(target.Length);
        long bytes = 0;
        using (var file = File.OpenHandle(path, reused > 0 ? FileMode.Open : FileMode.Create, FileAccess.ReadWrite, FileShare.None, FileOptions.Asynchronous))
        {
            RandomAccess.SetLength(file, target.Length);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxParallelRequests, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(ranges, parallel, async (range, ct) =>
            {
                var length = checked((int)range.Length);
                var buffer = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    var response = await blob.DownloadStreamingAsync(
                        new BlobDownloadOptions
                        {
                            Range = new HttpRange(range.Offset, range.Length),
                            Conditions = new BlobRequestConditions { IfMatch = etag },
                        },
                        ct);
                    await using (var content = response.Value.Content)
                    {
                        await content.ReadExactlyAsync(buffer.AsMemory(0, length), ct);
                    }

                    for (var block = range.FirstBlock; block < range.FirstBlock + range.Blocks; block++)
                    {
                        var start = checked((int)(target.OffsetOf(block) - range.Offset));
                        if (!BlockId.Matches(target.IdOf(block), buffer.AsSpan(start, target.LengthOf(block))))
                        {
                            throw CorruptDatabaseBlobException.BlockMismatch(
                                blob.BlobContainerName,
                                blob.Name,
                                string.Create(CultureInfo.InvariantCulture, $"block {block} (bytes {target.OffsetOf(block)} to {target.OffsetOf(block) + target.LengthOf(block) - 1}) does not match its ID {target.IdOf(block)}"));
                        }
                    }

                    await RandomAccess.WriteAsync(file, buffer.AsMemory(0, length), range.Offset, ct);
                    Interlocked.Add(ref bytes, length);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            });
        }

        var fetched = target.IsMapped ? target.Count - reused : (target.Length > 0 ? 1 : 0);
        return new BlockDownload(target, bytes, fetched, reused);
    }

    /// <summary>Commits <paramref name="path"/> as the blob's next version: stages the blocks that are not
    /// already committed at their place in <paramref name="committed"/>, then commits the list, under the lease and
    /// only if the blob still has <paramref name="ifMatch"/>: a lease can be renewed after it expired (Azurite allows
    /// it even after the blob changed), so the ETag the merge started from is the real guard.
    /// A file identical to the committed version is not committed again (the ETag stays).</summary>
    /// <exception cref="RequestFailedException">412 or 409 when the lease or the version no longer match.</exception>
    public static async Task<BlockUpload> UploadAsync(
        BlockBlobClient blob,
        string path,
        BlockMap committed,
        BlockSizePolicy policy,
        string leaseId,
        ETag ifMatch,
        CancellationToken cancellationToken) =>
        await UploadAsync(blob, path, await PlanUploadAsync(path, committed, policy, cancellationToken), leaseId, ifMatch, cancellationToken);

    /// <summary>Hashes the chunks of <paramref name="path"/> and says which of them an upload over
    /// <paramref name="committed"/> would stage; nothing moves.</summary>
    public static async Task<UploadPlan> PlanUploadAsync(string path, BlockMap committed, BlockSizePolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(committed);
        ArgumentNullException.ThrowIfNull(policy);
        var map = await BlockMap.ComputeAsync(path, policy.ChooseFor(new FileInfo(path).Length, committed.BlockSize), cancellationToken);
        var stage = Enumerable.Range(0, map.Count).Where(i => !map.HasSameBlock(i, committed)).ToList();
        return new UploadPlan(map, stage, Unchanged: stage.Count == 0 && map.Count == committed.Count && map.Length == committed.Length);
    }

    /// <summary>Commits <paramref name="path"/> as <paramref name="plan"/> (made from this very file) says: stages its
    /// blocks, then commits the list under the lease and If-Match <paramref name="ifMatch"/>.</summary>
    /// <exception cref="RequestFailedException">412 or 409 when the lease or the version no longer match.</exception>
    public static async Task<BlockUpload> UploadAsync(
        BlockBlobClient blob, string path, UploadPlan plan, string leaseId, ETag ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var map = plan.Map;
        if (plan.Unchanged)
        {
            // The file is the committed version, block for block: a commit would only change the ETag.
            return new BlockUpload(ifMatch, map, 0, 0, map.Count);
        }

        var bytes = await StageAsync(blob, path, map, plan.Stage, leaseId, cancellationToken);
        var response = await blob.CommitBlockListAsync(map.Ids, new CommitBlockListOptions
        {
            Conditions = new BlobRequestConditions { LeaseId = leaseId, IfMatch = ifMatch },
            HttpHeaders = new BlobHttpHeaders { ContentType = ContentType },
            Metadata = Metadata(map),
        }, cancellationToken);
        return new BlockUpload(response.Value.ETag, map, bytes, plan.Stage.Count, plan.BlocksReused);
    }

    /// <summary>Creates the blob from <paramref name="path"/> only if no blob of that name exists
    /// (If-None-Match: *); false when another writer got there first.</summary>
    public static async Task<bool> CreateAsync(BlockBlobClient blob, string path, BlockSizePolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var map = await BlockMap.ComputeAsync(path, policy.ChooseFor(new FileInfo(path).Length), cancellationToken);
        try
        {
            // Blocks staged to a name with no committed blob leave no blob behind; racing creators stage the same IDs.
            await StageAsync(blob, path, map, [.. Enumerable.Range(0, map.Count)], leaseId: null, cancellationToken);
            await blob.CommitBlockListAsync(map.Ids, new CommitBlockListOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = ContentType },
                Metadata = Metadata(map),
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // BlobAlreadyExists, ConditionNotMet, or LeaseIdMissing (it exists and is leased): someone else won.
            return false;
        }
    }

    private static async Task<long> StageAsync(
        BlockBlobClient blob, string path, BlockMap map, IReadOnlyList<int> blocks, string? leaseId, CancellationToken cancellationToken)
    {
        long bytes = 0;
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxParallelRequests, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(blocks, parallel, async (block, ct) =>
        {
            var length = map.LengthOf(block);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                await ReadExactlyAsync(file, buffer.AsMemory(0, length), map.OffsetOf(block), ct);
                using var content = new MemoryStream(buffer, 0, length, writable: false);
                await blob.StageBlockAsync(map.IdOf(block), content, new BlockBlobStageBlockOptions
                {
                    Conditions = leaseId is null ? null : new BlobRequestConditions { LeaseId = leaseId },
                }, ct);
                Interlocked.Add(ref bytes, length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        return bytes;
    }

    /// <summary>Marks the blocks of <paramref name="target"/> that the local copy already holds: by comparing
    /// IDs when its map is known and of the same block size, else by hashing its chunks.</summary>
    private static async Task<int> FindReusableAsync(
        BlockMap target, string localCopy, BlockMap? localMap, bool[] reuse, CancellationToken cancellationToken)
    {
        if (localMap is { IsMapped: true } && localMap.BlockSize == target.BlockSize)
        {
            for (var i = 0; i < target.Count; i++)
            {
                reuse[i] = target.HasSameBlock(i, localMap);
            }

            return reuse.Count(r => r);
        }

        using var file = File.OpenHandle(localCopy, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var localLength = RandomAccess.GetLength(file);
        var blockSize = target.BlockSize!.Value;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Task.Run(
            () => Parallel.For(0, target.Count, parallel, () => ArrayPool<byte>.Shared.Rent(blockSize), (i, _, buffer) =>
            {
                var length = target.LengthOf(i);
                if (target.OffsetOf(i) + length <= localLength)
                {
                    var chunk = buffer.AsSpan(0, length);
                    reuse[i] = RandomAccess.Read(file, chunk, target.OffsetOf(i)) == length && BlockId.Matches(target.IdOf(i), chunk);
                }

                return buffer;
            }, buffer => ArrayPool<byte>.Shared.Return(buffer)),
            cancellationToken);
        return reuse.Count(r => r);
    }

    /// <summary>The blocks to fetch, as ranges of consecutive blocks of at most <see cref="MaxRangeBytes"/>.</summary>
    private static List<ByteRange> PlanRanges(BlockMap target, bool[] reuse)
    {
        var ranges = new List<ByteRange>();
        var i = 0;
        while (i < target.Count)
        {
            if (reuse[i])
            {
                i++;
                continue;
            }

            var first = i;
            long length = 0;
            while (i < target.Count && !reuse[i] && (length == 0 || length + target.LengthOf(i) <= MaxRangeBytes))
            {
                length += target.LengthOf(i);
                i++;
            }

            ranges.Add(new ByteRange(target.OffsetOf(first), length, first, i - first));
        }

        return ranges;
    }

    private static List<ByteRange> WholeFileRanges(long length)
    {
        var ranges = new List<ByteRange>();
        for (long offset = 0; offset < length; offset += MaxRangeBytes)
        {
            ranges.Add(new ByteRange(offset, Math.Min(MaxRangeBytes, length - offset), 0, 0));
        }

        return ranges;
    }

    private static Dictionary<string, string> Metadata(BlockMap map) => new()
    {
        [BlockSizeMetadata] = (map.BlockSize ?? 0).ToString(CultureInfo.InvariantCulture),
    };

    private static async Task ReadExactlyAsync(SafeFileHandle file, Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var read = await RandomAccess.ReadAsync(file, buffer, offset, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"The file ended at {offset} while it was being uploaded; it changed underneath.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    private static bool SameVersion(ETag a, ETag b) =>
        string.Equals(a.ToString().Trim('"'), b.ToString().Trim('"'), StringComparison.Ordinal);

    private static RequestFailedException VersionChanged(BlockBlobClient blob, ETag expected, ETag actual) => new(
        412,
        $"The blob '{blob.BlobContainerName}/{blob.Name}' is at version {actual}, no longer at {expected}.",
        BlobErrorCode.ConditionNotMet.ToString(),
        innerException: null);

    private readonly record struct ByteRange(long Offset, long Length, int FirstBlock, int Blocks);
}
