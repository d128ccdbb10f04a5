using System.Numerics;
using System.Security.Cryptography;

namespace Blofin.Backfill.Sync;

/// <summary>The ID of one block of a mapped database blob: the map's layout version and block size, the block's
/// position, and a hash of its content, in 18 bytes, so every ID is 24 base64 characters (Azure wants the IDs of
/// one blob to have one length) and a block can be checked against its ID once downloaded.</summary>
/// <remarks>
/// Bytes: [0] layout version (high nibble, 1) and log2(block size) - 12 (low nibble: 4 KiB to 128 MiB);
/// [1..3] the block's index, big-endian (up to 16 million blocks; Azure allows 50,000); [4..17] the first
/// 14 bytes of the content's SHA-256. The position is part of the ID so that equal content at two places (two
/// empty pages) is two blocks, and the block list alone says where every block goes.
/// </remarks>
internal static class BlockId
{
    public const int EncodedLength = 24;
    public const int MinBlockSize = 1 << MinSizeLog2;
    public const int MaxBlockSize = 1 << (MinSizeLog2 + 15);
    public const int MaxIndex = (1 << 24) - 1;

    private const int ByteLength = 18;
    private const int HashOffset = 4;
    private const int HashLength = ByteLength - HashOffset;
    private const int MinSizeLog2 = 12;
    private const int Version = 1;

    /// <summary>The ID of block <paramref name="index"/>, holding <paramref name="content"/>, of a map of
    /// <paramref name="blockSize"/>-byte blocks.</summary>
    public static string Create(int blockSize, int index, ReadOnlySpan<byte> content)
    {
        if (!IsValidBlockSize(blockSize))
        {
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, $"A block size is a power of two from {MinBlockSize} to {MaxBlockSize} bytes.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxIndex);
        Span<byte> id = stackalloc byte[ByteLength];
        id[0] = (byte)((Version << 4) | (BitOperations.Log2((uint)blockSize) - MinSizeLog2));
        id[1] = (byte)(index >> 16);
        id[2] = (byte)(index >> 8);
        id[3] = (byte)index;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, hash);
        hash[..HashLength].CopyTo(id[HashOffset..]);
        return Convert.ToBase64String(id);
    }

    /// <summary>Reads the block size and index out of an ID of this layout; false for any other ID (a blob
    /// written without the map, or by another layout).</summary>
    public static bool TryParse(string id, out int blockSize, out int index)
    {
        blockSize = 0;
        index = 0;
        Span<byte> bytes = stackalloc byte[ByteLength];
        if (id is null || id.Length != EncodedLength || !Convert.TryFromBase64String(id, bytes, out var written) || written != ByteLength
            || bytes[0] >> 4 != Version)
        {
            return false;
        }

        blockSize = 1 << ((bytes[0] & 0x0F) + MinSizeLog2);
        index = (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
        return true;
    }

    /// <summary>True when <paramref name="content"/> hashes to the hash in <paramref name="id"/>.</summary>
    public static bool Matches(string id, ReadOnlySpan<byte> content)
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        if (!Convert.TryFromBase64String(id, bytes, out var written) || written != ByteLength)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, hash);
        return hash[..HashLength].SequenceEqual(bytes[HashOffset..]);
    }

    public static bool IsValidBlockSize(int blockSize) =>
        blockSize >= MinBlockSize && blockSize <= MaxBlockSize && BitOperations.IsPow2(blockSize);
}
