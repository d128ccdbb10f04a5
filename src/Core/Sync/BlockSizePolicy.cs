namespace Blofin.Backfill.Sync;

/// <summary>Picks the block size of a file's map: the smallest power of two of at least <see cref="MinBlockSize"/>
/// bytes that keeps the file within <see cref="MaxBlocks"/> blocks.</summary>
/// <remarks>Smaller blocks move fewer bytes per changed page, but every commit lists every block (about 41 bytes
/// each) and Azure allows 50,000 committed blocks. 64 KiB keeps files up to 2 GiB within 32,768 blocks; past that
/// the size doubles, and the next upload rewrites the whole blob once with the new size.</remarks>
internal sealed record BlockSizePolicy(int MinBlockSize, int MaxBlocks)
{
    public static BlockSizePolicy Default { get; } = new(64 * 1024, 32_768);

    /// <summary>The block size for a file of <paramref name="fileLength"/> bytes.</summary>
    public int ChooseFor(long fileLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileLength);
        if (!BlockId.IsValidBlockSize(MinBlockSize) || MaxBlocks < 1)
        {
            throw new InvalidOperationException($"Block size policy {this} is not valid.");
        }

        var blockSize = MinBlockSize;
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
