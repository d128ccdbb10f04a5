using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Sync;

public sealed class BlockMapTests
{
    [Fact]
    public async Task ComputeAsync_FileNotAMultipleOfTheBlockSize_MapsItWithAShortLastBlock()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = TempDirectory.Create();
        var path = folder.Combine("file");
        var content = new byte[(3 * 4096) + 100];
        new Random(1).NextBytes(content);
        await File.WriteAllBytesAsync(path, content, ct);

        var map = await BlockMap.ComputeAsync(path, 4096, ct);

        Assert.Equal((4096, 4, content.LongLength), (map.BlockSize, map.Count, map.Length));
        Assert.Equal([0L, 4096L, 8192L, 12288L], Enumerable.Range(0, 4).Select(map.OffsetOf));
        Assert.Equal(100, map.LengthOf(3));
        Assert.All(Enumerable.Range(0, 4), i => Assert.True(BlockId.Matches(map.IdOf(i), content.AsSpan((int)map.OffsetOf(i), map.LengthOf(i)))));
    }

    [Fact]
    public void FromBlocks_OneBlockOfAnotherWriter_IsNotMapped()
    {
        var map = BlockMap.FromBlocks([("YmxvY2stMDAwMDAx", 123_456)]);

        Assert.Null(map.BlockSize);
        Assert.Equal(123_456, map.Length);
    }

    [Fact]
    public void FromBlocks_BlocksOutOfPlace_IsNotMapped()
    {
        var a = BlockId.Create(4096, 0, new byte[4096]);
        var b = BlockId.Create(4096, 1, new byte[4096]);

        Assert.Equal(4096, BlockMap.FromBlocks([(a, 4096), (b, 4096)]).BlockSize);
        Assert.Null(BlockMap.FromBlocks([(b, 4096), (a, 4096)]).BlockSize);
        Assert.Null(BlockMap.FromBlocks([(a, 2048), (b, 4096)]).BlockSize);
    }

    [Fact]
    public async Task TryRead_WhatWriteToWrote_GivesTheSameMapForItsETagOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = TempDirectory.Create();
        var path = folder.Combine("file");
        await File.WriteAllBytesAsync(path, new byte[10_000], ct);
        var map = await BlockMap.ComputeAsync(path, 4096, ct);
        using var text = new StringWriter();
        map.WriteTo(text, "0x8DC1");

        var read = BlockMap.TryRead(new StringReader(text.ToString()), "0x8DC1");
        var other = BlockMap.TryRead(new StringReader(text.ToString()), "0x8DC2");

        Assert.NotNull(read);
        Assert.Equal(map.Ids, read.Ids);
        Assert.Equal((map.Length, map.BlockSize), (read.Length, read.BlockSize));
        Assert.Null(other);
    }
}
