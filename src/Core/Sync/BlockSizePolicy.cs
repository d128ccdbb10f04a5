using System.Numerics;

namespace Blofin.Backfill.Sync;

/// <summary>Picks the block size of a file's map: about the square root of the file's size, as a power of two of at
/// least <see cref="MinBlockSize"/> bytes, and large enough to keep the file within <see cref="MaxBlocks"/> blocks.</summary>
/// <remarks>
/// A merge moves every block holding a changed page (a tick changes pages scattered over the file: each symbol's
/// newest leaf, its parents, the run log and its index), and its commit lists every block of the file (about 41
/// bytes each); a stale worker reads that list too (about 70 bytes each). With p scattered pages in a file of F
/// bytes cut into blocks of B bytes, a merge moves about p·B + 41·F/B bytes, least at B = √(41·F/p). Measured p is 6
/// to 9 pages for one symbol's merge and about 200 for 32 symbols merged in one cycle, so B = √F sits between the
/// two optima: 8 KiB at 30 MB, 16 KiB up to 256 MiB, 32 KiB up to 1 GiB, 64 KiB up to 2 GiB, then what the block
/// limit needs. The size steps up as the file grows past 16 MiB, 64 MiB, 256 MiB, 1 GiB and 2 GiB; each step
/// rewrites the blob once, with every block new (docs/OPERATIONS.md has the measurements).
/// <see cref="FixedSize"/> keeps <see cref="MinBlockSize"/> until <see cref="MaxBlocks"/> forces a step (Azure allows
/// 50,000 committed blocks).
/// </remarks>
internal sealed record BlockSizePolicy(int MinBlockSize, int MaxBlocks, bool FixedSize = false)
{
    /// <summary>√F, from SQLite's 4 KiB page up, at most 32,768 blocks.</summary>
    public static BlockSizePolicy Default { get; } = new(4096, 32_768);

    /// <summary>The block size for a file of <paramref name="fileLength"/> bytes.</summary>
    public int ChooseFor(long fileLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileLength);
        if (!BlockId.IsValidBlockSize(MinBlockSize) || MaxBlocks < 1)
        {
            throw new InvalidOperationException($"Block size policy {this} is not valid.");
        }

        var blockSize = MinBlockSize;
        if (!FixedSize)
        {
            var root = (long)Math.Ceiling(Math.Sqrt(fileLength));
            blockSize = (int)Math.Min(BlockId.MaxBlockSize, Math.Max(MinBlockSize, (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(1, root))));
        }

        while ((fileLength + blockSize - 1) / blockSize > MaxBlocks)
        {
            if (blockSize >= BlockId.MaxBlockSize)
            {
                throw new InvalidOperationException($"A file of {fileLength} bytes does not fit in {MaxBlocks} blocks of at most {BlockId.MaxBlockSize} bytes.");
            }

            blockSize *= 2;
        }

        return blockSize;
    }
}
