using System.Text.Json;

namespace Blofin.Backfill.Backfill;

/// <summary>The verdict against <c>Backfill:AlertBelowPercent</c> that the coverage report and document carry.</summary>
public sealed class CoverageThresholdTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetReportAsync_MissingOnlyWithinTheGrace_IsNotBelowTheThreshold()
    {
        await using var harness = await BackfillHarness.StartAsync();
        await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT"), harness.Store, null, Ct);
        harness.Clock.Advance(TimeSpan.FromMinutes(30));

        var report = await harness.Get<CoverageReporter>().GetReportAsync(harness.Store, ["BTC-USDT"], Ct);

        Assert.Equal(30, Assert.Single(report.Symbols).MissingCount);
        Assert.Equal(99.9, report.Threshold!.Percent);
        Assert.Empty(report.Threshold.Below);
        Assert.Empty(CoverageDocument.From(report).BelowThreshold);
    }

    [Fact]
    public async Task GetReportAsync_MissingOlderThanTheGrace_IsBelowTheThresholdWithItsFigures()
    {
        await using var harness = await BackfillHarness.StartAsync();
        await harness.Backfiller.RunAsync(BackfillHarness.Request("BTC-USDT"), harness.Store, null, Ct);
        harness.Clock.Advance(TimeSpan.FromMinutes(60));

        var report = await harness.Get<CoverageReporter>().GetReportAsync(harness.Store, ["BTC-USDT"], Ct);
        var document = CoverageDocument.From(report);

        var below = Assert.Single(document.BelowThreshold);
        Assert.Equal(("BTC-USDT", 25L, 10_081L - 35), (below.InstId, below.Missing, below.Available));
        Assert.Equal(99.7511, below.PercentOfAvailable);
        Assert.Equal(BackfillHarness.Start.AddMinutes(60 - 35).AddSeconds(-30).AddMinutes(-1), document.ThresholdCheckedThroughUtc);
    }

    [Fact]
    public async Task GetReportAsync_ProvenHoles_AreNotCountedAgainstTheThreshold()
    {
        var window = Coverage.CoverageWindow.ForRun(BackfillHarness.Start, Exchange.Bar.OneMinute, 168);
        await using var harness = await BackfillHarness.StartAsync(options =>
        {
            for (var i = 0; i < 20; i++)
            {
                options.AddHole("ETH-USDT", window.StartMs + ((1_000 + (i * 300)) * 60_000L));
            }
        });
        await harness.Backfiller.RunAsync(BackfillHarness.Request("ETH-USDT"), harness.Store, null, Ct);

        var report = await harness.Get<CoverageReporter>().GetReportAsync(harness.Store, ["ETH-USDT"], Ct);

        Assert.True(Assert.Single(report.Symbols).PresentPercent < 99.9, "20 holes in a week are more than 0.1% of the window");
        Assert.Empty(report.Threshold!.Below);
    }

    [Fact]
    public async Task CoverageDocument_ToJson_CarriesTheThresholdAndTheSymbolsBelowIt()
    {
        await using var harness = await BackfillHarness.StartAsync(settings: new Dictionary<string, string?> { ["Backfill:AlertBelowPercent"] = "99.99" });
        await harness.Backfiller.RunAsync(BackfillHarness.Request("SOL-USDT", lookbackHours: 2), harness.Store, null, Ct);
        harness.Clock.Advance(TimeSpan.FromMinutes(40));
        var report = await harness.Get<CoverageReporter>().GetReportAsync(harness.Store, ["SOL-USDT", "BTC-USDT"], Ct);

        using var json = JsonDocument.Parse(CoverageDocument.From(report).ToJson());

        var root = json.RootElement;
        Assert.Equal(99.99, root.GetProperty("threshold").GetDouble());
        Assert.Equal(["SOL-USDT", "BTC-USDT"], root.GetProperty("belowThreshold").EnumerateArray().Select(e => e.GetProperty("instId").GetString()));
        Assert.Equal(0, root.GetProperty("belowThreshold")[1].GetProperty("percentOfAvailable").GetDouble());
        Assert.True(root.TryGetProperty("thresholdCheckedThroughUtc", out _));
    }
}
