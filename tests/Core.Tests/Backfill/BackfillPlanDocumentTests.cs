using System.Text.Json;
using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Backfill;

public sealed class BackfillPlanDocumentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0, 0)]
    [InlineData(8, 0)]
    [InlineData(475, 0)]
    [InlineData(476, 60)]
    [InlineData(951, 120)]
    [InlineData(1426, 300)]
    public void RateLimitEstimate_Of_WaitsWholeWindowsOnceABudgetIsSpent(int requests, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RateLimitEstimate.Of(requests, new BlofinOptions()));
    }

    [Fact]
    public void RateLimitEstimate_Describe_GivesTheBudgetsTheClientKeeps()
    {
        Assert.Equal("475/60s, 1425/300s", RateLimitEstimate.Describe(new BlofinOptions()));
    }

    [Fact]
    public async Task From_Plans_ListsEveryPageWithItsCursorAndTheTotals()
    {
        await using var harness = await BackfillHarness.StartAsync();
        var plans = new List<BackfillPlan>
        {
            await harness.Backfiller.PlanAsync(BackfillHarness.Request("BTC-USDT"), harness.Store, Ct),
            await harness.Backfiller.PlanAsync(BackfillHarness.Request("ETH-USDT", lookbackHours: 1), harness.Store, Ct),
        };

        var document = BackfillPlanDocument.From(plans, new BlofinOptions(), BackfillHarness.Start);
        using var json = JsonDocument.Parse(document.ToJson());

        Assert.Equal((9, 0.0, "1m"), (document.TotalPages, document.EstimatedSeconds, document.Bar));
        var btc = document.Symbols[0];
        Assert.Equal((10_081L, 0L, 10_081L, 0L), (btc.Expected, btc.Present, btc.Missing, btc.HoleRecheckBars));
        Assert.Equal(plans[0].Pages.Select(p => (p.AfterMs, p.Limit)), btc.Pages.Select(p => (p.After, p.Limit)));
        Assert.Equal(btc.Pages[0].NewestUtc, plans[0].Window.EndUtc);
        Assert.Equal(61, json.RootElement.GetProperty("symbols")[1].GetProperty("pages")[0].GetProperty("limit").GetInt32());
        Assert.Equal(0, harness.Simulator.CountCandleRequests());
    }
}
