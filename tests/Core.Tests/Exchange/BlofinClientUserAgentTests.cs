using Blofin.Backfill.Backfill;

namespace Blofin.Backfill.Exchange;

public sealed class BlofinClientUserAgentTests
{
    [Fact]
    public async Task GetCandlesAsync_AnyRequest_NamesTheProgramAndTheProcessInTheUserAgent()
    {
        await using var harness = await BackfillHarness.StartAsync();
        var client = harness.Get<BlofinClient>();

        await client.GetCandlesAsync(new CandleQuery("BTC-USDT", Bar.OneMinute, Limit: 5), TestContext.Current.CancellationToken);

        var request = Assert.Single(harness.Simulator.Requests);
        Assert.Matches($@"^blofin-backfill/\d+\.\d+\.\d+ \(pid {Environment.ProcessId}\)$", request.UserAgent);
    }
}
