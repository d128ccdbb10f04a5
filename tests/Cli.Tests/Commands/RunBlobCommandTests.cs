using System.Text.Json;
using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>run --blob</c> against Azurite: what each run's merge moved, in the JSON document.</summary>
public sealed class RunBlobCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Run_BlobJson_EachSymbolReportsWhatItsMergeMovedUnderSync()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.UseAzuriteAsync(azurite);
        // The second run finds the window complete: its merge carries only its run row, a few blocks of the file.
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("run", "--symbols", "BTC-USDT,ETH-USDT", "--blob", "--lookback-hours", "24")).ExitCode);

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT,ETH-USDT", "--blob", "--lookback-hours", "24", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var blobBytes = (await cli.BlobContainer.GetBlobClient("candles.sqlite").GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken)).Value.ContentLength;
        using var document = JsonDocument.Parse(result.Output);
        var symbols = document.RootElement.GetProperty("symbols").EnumerateArray().ToList();
        Assert.Equal(2, symbols.Count);
        var syncs = symbols.Select(s => s.GetProperty("sync")).ToList();
        Assert.All(syncs, sync =>
        {
            Assert.InRange(sync.GetProperty("bytesUploaded").GetInt64(), 1, blobBytes - 1);
            Assert.InRange(sync.GetProperty("blocksStaged").GetInt32(), 1, int.MaxValue);
            Assert.InRange(sync.GetProperty("blocksReused").GetInt32(), 1, int.MaxValue);
            Assert.InRange(sync.GetProperty("bytesDownloaded").GetInt64(), 0, blobBytes);
            Assert.InRange(sync.GetProperty("sharedBy").GetInt32(), 1, 2);
            Assert.InRange(sync.GetProperty("fileBytes").GetInt64(), 1, blobBytes);
        });
        Assert.Equal(blobBytes, syncs.Max(s => s.GetProperty("fileBytes").GetInt64()));
    }
}
