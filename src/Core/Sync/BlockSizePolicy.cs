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
/// limit needs. A blob already in a map keeps its size while that is within a factor of two of this one (see
/// <see cref="ChooseFor(long, int?)"/>); a change of size rewrites the blob once, with every block new
/// (docs/OPERATIONS.md has the measurements).
/// <see cref="FixedSize"/> keeps <see cref="MinBlockSize"/> until <see cref="MaxBlocks"/> forces a step (Azure allows
/// 50,000 committed blocks).
/// </remarks>
internal sealed record BlockSizePolicy(int MinBlockSize, int MaxBlocks, bool FixedSize = false)
{
    /// <summary>√F, from SQLite's 4 KiB page up, at most 32,768 blocks.</summary>
    public static BlockSizePolicy Default { get; } = new(4096, 32_768);

    /// <summary>The block size for a file of <paramref name="fileLength"/> bytes whose blob is committed in blocks of
    /// <paramref name="committedBlockSize"/> bytes (null: not in a map): the committed size while it is within a factor
    /// of two of <see cref="ChooseFor(long)"/> and the file still fits, otherwise that size.</summary>
    /// <remarks>Every change of size re-stages the whole file. Without the tolerance a growing file would be rewritten
    /// at each step (16 MiB, 64 MiB, 256 MiB...): a fill from empty crossed one within a few minutes and staged its
    /// file twice. With it the size changes once the file has grown about sixteen-fold, and a merge moves at most about
    /// a quarter more than at the ideal size (p·B + 41·F/B is flat around its least value).</remarks>
    public int ChooseFor(long fileLength, int? committedBlockSize)
    {
        var ideal = ChooseFor(fileLength);
        if (FixedSize || committedBlockSize is not { } committed || !BlockId.IsValidBlockSize(committed) || committed < MinBlockSize)
        {
            return ideal;
        }

        var tolerated = committed * 2L >= ideal && committed <= ideal * 2L;
        var fits = (fileLength + committed - 1) / committed <= MaxBlocks;
        return tolerated && fits ? committed : ideal;
    }

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
