namespace Blofin.Backfill.Sync;

public sealed class BlockSizePolicyTests
{
    [Theory]
    [InlineData(0L, 4096)]
    [InlineData(4096L, 4096)]
    [InlineData(16L * 1024 * 1024, 4096)]
    [InlineData((16L * 1024 * 1024) + 1, 8192)]
    [InlineData(30_000_000L, 8192)]
    [InlineData(125_000_000L, 16384)]
    [InlineData(256L * 1024 * 1024, 16384)]
    [InlineData(1_700_000_000L, 65536)]
    [InlineData(5_000_000_000L, 262144)] // √F is 128 KiB, but 38,147 blocks: the limit doubles it
    public void ChooseFor_Default_IsTheSquareRootOfTheFileRoundedUpToAPowerOfTwo(long fileLength, int expected)
    {
        Assert.Equal(expected, BlockSizePolicy.Default.ChooseFor(fileLength));
    }

    [Fact]
    public void ChooseFor_AnyLength_StaysWithinMaxBlocks()
    {
        var policy = new BlockSizePolicy(4096, 8);

        Assert.Equal(4096, policy.ChooseFor(8 * 4096));
        Assert.Equal(8192, policy.ChooseFor((8 * 4096) + 1));
    }

    [Theory]
    [InlineData(30_000_000L, 65536)]
    [InlineData(2L * 1024 * 1024 * 1024, 65536)]
    [InlineData((2L * 1024 * 1024 * 1024) + 1, 131072)]
    public void ChooseFor_FixedSize_KeepsItsSizeUntilTheBlockLimitForcesAStep(long fileLength, int expected)
    {
        Assert.Equal(expected, new BlockSizePolicy(65536, 32_768, FixedSize: true).ChooseFor(fileLength));
    }

    [Theory]
    [InlineData(30_000_000L, 4096, 4096)] // the ideal is 8 KiB: half of it is kept
    [InlineData(30_000_000L, 16384, 16384)] // twice it is kept
    [InlineData(30_000_000L, 32768, 8192)] // four times it is not
    [InlineData(250_000_000L, 4096, 16384)] // a file grown sixteen-fold since its size was chosen is rewritten
    [InlineData(250_000_000L, 8192, 8192)]
    public void ChooseFor_CommittedSize_IsKeptWithinAFactorOfTwoOfTheIdeal(long fileLength, int committed, int expected)
    {
        Assert.Equal(expected, BlockSizePolicy.Default.ChooseFor(fileLength, committed));
    }

    [Fact]
    public void ChooseFor_CommittedSizeBeyondTheBlockLimit_TakesTheSizeThatFits()
    {
        var policy = new BlockSizePolicy(4096, 8);

        Assert.Equal(8192, policy.ChooseFor((8 * 4096) + 1, 4096));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1000)] // not a power of two: not a size of this layout
    public void ChooseFor_NoUsableCommittedSize_TakesTheIdeal(int? committed)
    {
        Assert.Equal(8192, BlockSizePolicy.Default.ChooseFor(30_000_000L, committed));
    }
}
