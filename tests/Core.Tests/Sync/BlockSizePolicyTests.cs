namespace Blofin.Backfill.Sync;

public sealed class BlockSizePolicyTests
{
    [Theory]
    [InlineData(0L, 65536)]
    [InlineData(4096L, 65536)]
    [InlineData(260_000_000L, 65536)]
    [InlineData(2L * 1024 * 1024 * 1024, 65536)]
    [InlineData((2L * 1024 * 1024 * 1024) + 1, 131072)]
    [InlineData(5_000_000_000L, 262144)]
    public void ChooseFor_Default_Is64KiBUpTo2GiBThenDoubles(long fileLength, int expected)
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
}
