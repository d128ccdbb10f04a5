using System.Buffers;
using System.Globalization;
using Azure.Storage.Blobs.Models;
using Microsoft.Win32.SafeHandles;

namespace Blofin.Backfill.Sync;

/// <summary>The committed blocks of one version of the database blob, in order, and where each one lies in the
/// file; <see cref="BlockSize"/> says whether they form a block map this build wrote.</summary>
/// <remarks>A blob forms a map when every block's ID is a <see cref="BlockId"/> of one block size, at its own
/// index, and every block but the last is exactly that size. Anything else (one block from a plain upload, the
/// SDK's 4 MiB blocks, no block list at all) is read as a whole and rewritten with the map on the next upload.</remarks>
internal sealed class BlockMap
{
    private const string Header = "blockmap 1";

    private readonly string[] _ids;
    private readonly long[] _offsets;

    private BlockMap(string[] ids, long[] offsets, long length, int? blockSize)
    {
        _ids = ids;
        _offsets = offsets;
        Length = length;
        BlockSize = blockSize;
    }

    /// <summary>The blob's length in bytes.</summary>
    public long Length { get; }

    /// <summary>The size of the map's blocks; null when the blob was not written as a map.</summary>
    public int? BlockSize { get; }

    public bool IsMapped => BlockSize is not null;

    public int Count => _ids.Length;

    public IReadOnlyList<string> Ids => _ids;

    public string IdOf(int index) => _ids[index];

    public long OffsetOf(int index) => _offsets[index];

    public int LengthOf(int index) => checked((int)LongLengthOf(index));

    /// <summary>A block's length, also for the blocks of other writers (up to 4,000 MiB each).</summary>
    public long LongLengthOf(int index) => (index + 1 < _ids.Length ? _offsets[index + 1] : Length) - _offsets[index];

    /// <summary>True when block <paramref name="index"/> of this map is, by its ID, the same block as in <paramref name="other"/>.</summary>
    public bool HasSameBlock(int index, BlockMap other) =>
        IsMapped && BlockSize == other.BlockSize && index < other.Count
        && string.Equals(_ids[index], other._ids[index], StringComparison.Ordinal) && LongLengthOf(index) == other.LongLengthOf(index);

    /// <summary>The map of a committed block list; a list that does not add up to the blob's length (a blob
    /// written whole, with Put Blob, lists no blocks) is a blob of that length without a map.</summary>
    public static BlockMap FromBlockList(BlockList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var blocks = list.CommittedBlocks?.Select(b => (b.Name, b.SizeLong)).ToList() ?? [];
        return blocks.Sum(b => b.SizeLong) == list.BlobContentLength
            ? FromBlocks(blocks)
            : new BlockMap([], [], list.BlobContentLength, blockSize: null);
    }

    /// <summary>The map of blocks given by ID and length, in order.</summary>
    public static BlockMap FromBlocks(IReadOnlyList<(string Id, long Length)> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var ids = new string[blocks.Count];
        var offsets = new long[blocks.Count];
        long length = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            ids[i] = blocks[i].Id;
            offsets[i] = length;
            length += blocks[i].Length;
        }

        return new BlockMap(ids, offsets, length, MappedBlockSize(blocks));
    }

    /// <summary>Hashes the file at <paramref name="path"/> in blocks of <paramref name="blockSize"/> bytes, on every core.</summary>
    public static async Task<BlockMap> ComputeAsync(string path, int blockSize, CancellationToken cancellationToken)
    {
        if (!BlockId.IsValidBlockSize(blockSize))
        {
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "Not a valid block size.");
        }

        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(file);
        var count = checked((int)((length + blockSize - 1) / blockSize));
        var ids = new string[count];
        var offsets = new long[count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Task.Run(
            () => Parallel.For(0, count, parallel, () => ArrayPool<byte>.Shared.Rent(blockSize), (i, _, buffer) =>
            {
                offsets[i] = (long)i * blockSize;
                var block = buffer.AsSpan(0, (int)Math.Min(blockSize, length - offsets[i]));
                ReadExactly(file, block, offsets[i]);
                ids[i] = BlockId.Create(blockSize, i, block);
                return buffer;
            }, buffer => ArrayPool<byte>.Shared.Return(buffer)),
            cancellationToken);
        return new BlockMap(ids, offsets, length, blockSize);
    }

    /// <summary>Writes the map, labelled with the blob version it describes, for <see cref="TryRead"/>.</summary>
    public void WriteTo(TextWriter writer, string etag)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write($"{Header}\n{etag}\n{Length.ToString(CultureInfo.InvariantCulture)}\n");
        for (var i = 0; i < _ids.Length; i++)
        {
            writer.Write($"{_ids[i]} {LongLengthOf(i).ToString(CultureInfo.InvariantCulture)}\n");
        }
    }

    /// <summary>Reads a map written by <see cref="WriteTo"/> for version <paramref name="etag"/>; null when the
    /// text is of another version or not a map at all.</summary>
    public static BlockMap? TryRead(TextReader reader, string etag)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.ReadLine() != Header || reader.ReadLine() != etag
            || !long.TryParse(reader.ReadLine(), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return null;
        }

        var blocks = new List<(string, long)>();
        while (reader.ReadLine() is { } line)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || !long.TryParse(line.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var blockLength))
            {
                return null;
            }

            blocks.Add((line[..space], blockLength));
        }

        if (blocks.Count == 0)
        {
            return new BlockMap([], [], length, blockSize: null);
        }

        var map = FromBlocks(blocks);
        return map.Length == length ? map : null;
    }

    private static int? MappedBlockSize(IReadOnlyList<(string Id, long Length)> blocks)
    {
        int? size = null;
        for (var i = 0; i < blocks.Count; i++)
        {
            if (!BlockId.TryParse(blocks[i].Id, out var blockSize, out var index) || index != i || (size is { } known && known != blockSize))
            {
                return null;
            }

            size = blockSize;
            var isLast = i == blocks.Count - 1;
            if (isLast ? blocks[i].Length is <= 0 || blocks[i].Length > blockSize : blocks[i].Length != blockSize)
            {
                return null;
            }
        }

        return size;
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(file, buffer, offset);
            if (read == 0)
            {
                throw new EndOfStreamException($"The file ended at {offset} while it was being hashed; it changed underneath.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }
}
