using System.Text.Json;
using Azure.Storage.Queues.Models;
using Blofin.Backfill.Functions.Testing;
using Blofin.Backfill.Testing;
using Blofin.Simulator;
using Microsoft.Azure.Functions.Worker;

namespace Blofin.Backfill.Functions;

/// <summary>The timer function activated from the app's own container, against the simulator and a queue in Azurite.</summary>
public sealed class EnqueueBackfillsTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task RunAsync_ConfiguredSymbols_SendsOneMessagePerSymbolLivingTheTimeToLive()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await InProcessFunctionsApp.StartAsync(azurite, Settings("BTC-USDT,ETH-USDT,SOL-USDT", spread: TimeSpan.Zero));

        await app.Activate<EnqueueBackfills>().RunAsync(new TimerInfo(), ct);

        var messages = (await app.Queue.PeekMessagesAsync(32, ct)).Value;
        Assert.Equal(["BTC-USDT", "ETH-USDT", "SOL-USDT"], messages.Select(m => Field(m, "instId")).Order(StringComparer.Ordinal));
        Assert.All(messages, m =>
        {
            Assert.Equal("timer", Field(m, "trigger"));
            Assert.Equal(TimeToLive.TotalSeconds, (m.ExpiresOn!.Value - m.InsertedOn!.Value).TotalSeconds, tolerance: 1);
        });
        Assert.Equal(0, app.Simulator.CountCandleRequests());
    }

    [Fact]
    public async Task RunAsync_EnqueueSpread_MakesOnlyTheFirstMessageVisibleAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;

        // Three messages spread over 20 s become visible at 0, 10 and 20 s.
        await using var app = await InProcessFunctionsApp.StartAsync(azurite, Settings("BTC-USDT,ETH-USDT,SOL-USDT", spread: TimeSpan.FromSeconds(20)));

        await app.Activate<EnqueueBackfills>().RunAsync(new TimerInfo(), ct);

        QueueProperties properties = await app.Queue.GetPropertiesAsync(ct);
        Assert.Equal(3, properties.ApproximateMessagesCount);
        var visible = Assert.Single((await app.Queue.PeekMessagesAsync(32, ct)).Value);
        Assert.Equal("BTC-USDT", Field(visible, "instId"));
        Assert.Equal(TimeToLive.TotalSeconds, (visible.ExpiresOn!.Value - visible.InsertedOn!.Value).TotalSeconds, tolerance: 1);
    }

    [Fact]
    public async Task RunAsync_LiveMode_SendsOneMessagePerLiveInstrumentInTheQuoteCurrency()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await InProcessFunctionsApp.StartAsync(
            azurite,
            Settings("live", spread: TimeSpan.Zero),
            simulator =>
            {
                simulator.Instruments.Clear();
                simulator.Instruments.Add(new SimulatedInstrument("BTC-USDT", 60_000m, 0.1m, 0.001m));
                simulator.Instruments.Add(new SimulatedInstrument("ETH-USDT", 3_000m, 0.01m, 0.01m));
                simulator.Instruments.Add(new SimulatedInstrument("ETH-USDC", 3_000m, 0.01m, 0.01m) { QuoteCurrency = "USDC" });
                simulator.Instruments.Add(new SimulatedInstrument("OLD-USDT", 10m, 0.001m, 1m) { State = "suspend" });
            });

        await app.Activate<EnqueueBackfills>().RunAsync(new TimerInfo(), ct);

        var messages = (await app.Queue.PeekMessagesAsync(32, ct)).Value;
        Assert.Equal(["BTC-USDT", "ETH-USDT"], messages.Select(m => Field(m, "instId")).Order(StringComparer.Ordinal));
        Assert.Equal(0, app.Simulator.CountCandleRequests());
    }

    private static Dictionary<string, string?> Settings(string symbols, TimeSpan spread) => new()
    {
        ["Backfill:Symbols"] = symbols,
        ["Backfill:QuoteCurrency"] = "USDT",
        ["Backfill:EnqueueSpread"] = spread.ToString(),
        ["Backfill:MessageTimeToLive"] = TimeToLive.ToString(),
    };

    private static string? Field(PeekedMessage message, string name)
    {
        using var body = JsonDocument.Parse(message.MessageText);
        return body.RootElement.GetProperty(name).GetString();
    }
}
