using Blofin.Backfill.Exchange;
using Blofin.Simulator;

namespace Blofin.Backfill.Backfill;

/// <summary>The cross-check of stored 1-minute candles against the simulator's own 1H aggregation.</summary>
public sealed class CandleVerifierTests
{
    private const long HourMs = 3_600_000;

    // The hours the check looks at end with the last closed hour before BackfillHarness.Start (11:00).
    private static readonly long LastHourMs = (BackfillHarness.Start.ToUnixTimeMilliseconds() / HourMs * HourMs) - HourMs;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VerifyAsync_AfterAFullFill_EveryHourMatchesWithOneRequestPerSymbol()
    {
        await using var harness = await StartFilledAsync();

        var report = await VerifyAsync(harness);

        Assert.False(report.HasMismatch);
        Assert.All(report.Symbols, s => Assert.Equal((24, 24, 0, 0), (s.HoursChecked, s.Matched, s.Mismatches.Count, s.Incomplete.Count)));
        Assert.Equal(2, harness.Simulator.Requests.Count(r => r.IsCandles && r.Bar == "1H"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(LastHourMs), report.ToUtc);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(LastHourMs - (23 * HourMs)), report.FromUtc);
    }

    [Fact]
    public async Task VerifyAsync_InjectedDisagreement_IsReportedWithBothValues()
    {
        var hourMs = LastHourMs - (5 * HourMs);
        await using var harness = await StartFilledAsync(options => options.Disagreements.Add(new SimulatedDisagreement("ETH-USDT", "1H", hourMs) { CloseTicks = 1 }));

        var report = await VerifyAsync(harness);

        Assert.True(report.HasMismatch);
        Assert.Empty(report.Symbols.Single(s => s.InstId == "BTC-USDT").Mismatches);
        var eth = report.Symbols.Single(s => s.InstId == "ETH-USDT");
        var hour = Assert.Single(eth.Mismatches);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(hourMs), hour.HourUtc);
        Assert.Contains("close", hour.Differences);
        Assert.DoesNotContain("open", hour.Differences);
        Assert.Equal(hour.Stored!.Close + 0.01, hour.Exchange!.Close, 9);
        Assert.Equal(23, eth.Matched);
    }

    [Fact]
    public async Task VerifyAsync_VolumeOffByLessThanTheTolerance_MatchesAndOtherwiseDiffers()
    {
        var hourMs = LastHourMs - HourMs;
        await using var harness = await StartFilledAsync(options => options.Disagreements.Add(
            new SimulatedDisagreement("BTC-USDT", "1H", hourMs) { CloseTicks = 0, VolumeFactor = 1.0000001m }));

        var tolerant = await VerifyAsync(harness);
        var strict = await harness.Get<CandleVerifier>().VerifyAsync(harness.Store, ["BTC-USDT"], 24, volumeTolerance: 1e-9, Ct);

        Assert.False(tolerant.HasMismatch);
        Assert.Equal(["vol", "vol_currency", "vol_quote"], Assert.Single(Assert.Single(strict.Symbols).Mismatches).Differences);
    }

    [Fact]
    public async Task VerifyAsync_HoursWithMissingMinutes_AreIncompleteNotMismatches()
    {
        await using var harness = await BackfillHarness.StartAsync();
        await harness.Backfiller.RunAsync(BackfillHarness.Request("SOL-USDT", lookbackHours: 20), harness.Store, null, Ct);

        var report = await harness.Get<CandleVerifier>().VerifyAsync(harness.Store, ["SOL-USDT"], 24, CandleVerifier.DefaultVolumeTolerance, Ct);

        var sol = Assert.Single(report.Symbols);
        Assert.False(report.HasMismatch);
        Assert.Equal((20, 4), (sol.Matched, sol.Incomplete.Count));
        Assert.Equal([60, 60, 60, 59], sol.Incomplete.Select(h => h.MissingMinutes));
    }

    [Fact]
    public async Task VerifyAsync_HourWithAProvenHole_IsComparedWithoutIt()
    {
        var holeMs = LastHourMs - (3 * HourMs) + (17 * 60_000);
        await using var harness = await StartFilledAsync(options => options.AddHole("BTC-USDT", holeMs));

        var report = await VerifyAsync(harness);

        Assert.False(report.HasMismatch);
        Assert.Equal(24, report.Symbols.Single(s => s.InstId == "BTC-USDT").Matched);
    }

    [Fact]
    public async Task VerifyAsync_UnknownSymbol_ThrowsBeforeAnyCandleRequest()
    {
        await using var harness = await BackfillHarness.StartAsync();

        await Assert.ThrowsAsync<BlofinUnknownInstrumentException>(() =>
            harness.Get<CandleVerifier>().VerifyAsync(harness.Store, ["BTC-USDT", "NOPE-USDT"], 24, CandleVerifier.DefaultVolumeTolerance, Ct));

        Assert.Equal(0, harness.Simulator.CountCandleRequests());
    }

    private static async Task<BackfillHarness> StartFilledAsync(Action<SimulatorOptions>? configure = null)
    {
        var harness = await BackfillHarness.StartAsync(configure);
        foreach (var instId in new[] { "BTC-USDT", "ETH-USDT" })
        {
            await harness.Backfiller.RunAsync(BackfillHarness.Request(instId, lookbackHours: 26), harness.Store, null, Ct);
        }

        return harness;
    }

    private static Task<VerificationReport> VerifyAsync(BackfillHarness harness) =>
        harness.Get<CandleVerifier>().VerifyAsync(harness.Store, ["BTC-USDT", "ETH-USDT"], 24, CandleVerifier.DefaultVolumeTolerance, Ct);
}
