namespace Blofin.Backfill.Sync;

public sealed class BlockIdTests
{
    [Fact]
    public void Create_AnyBlock_Is24Base64CharactersThatParseBackToItsSizeAndIndex()
    {
        var id = BlockId.Create(65536, 40_000, new byte[65536]);

        Assert.Equal(BlockId.EncodedLength, id.Length);
        Assert.True(BlockId.TryParse(id, out var blockSize, out var index));
        Assert.Equal((65536, 40_000), (blockSize, index));
    }

    [Fact]
    public void Create_SameContentAtTwoPlaces_GivesTwoIds()
    {
        var empty = new byte[4096];

        Assert.NotEqual(BlockId.Create(4096, 1, empty), BlockId.Create(4096, 2, empty));
    }

    [Fact]
    public void Matches_ContentOneBitOff_IsFalse()
    {
        var content = new byte[4096];
        new Random(1).NextBytes(content);
        var id = BlockId.Create(4096, 0, content);

        Assert.True(BlockId.Matches(id, content));
        content[4095] ^= 1;
        Assert.False(BlockId.Matches(id, content));
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAA")] // layout version 0
    [InlineData("YmxvY2stMDAwMDAx")] // another writer's ID, 16 characters
    [InlineData("not base64 at all, 24ch!")]
    public void TryParse_IdOfAnotherLayout_IsFalse(string id)
    {
        Assert.False(BlockId.TryParse(id, out _, out _));
    }

    [Fact]
    public void Create_BlockSizeNotAPowerOfTwo_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockId.Create(5000, 0, new byte[10]));
    }
}
