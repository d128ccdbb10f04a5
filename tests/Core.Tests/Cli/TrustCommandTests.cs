using System.Globalization;
using System.Text.Json;
using Blofin.Backfill.Storage;
using Blofin.Backfill.Testing;
using Blofin.Simulator;

namespace Blofin.Backfill.Cli;

/// <summary><c>run --dry-run</c>, <c>coverage --fail-under</c> and <c>verify</c> as processes against the simulator
/// (on the real clock, as the tool runs) and a real SQLite file.</summary>
/// <remarks>These belong in tests/Cli.Tests once that project exists; they need only the command line.</remarks>
public sealed class TrustCommandTests(AzuriteFixture azurite) : IDisposable
{
    private const long HourMs = 3_600_000;
    private readonly TempFolder _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => _folder.File("candles.sqlite");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunDryRun_SendsNoCandleRequestAndTheRunThatFollowsMakesExactlyThePlannedOnes()
    {
        await using var simulator = await BlofinSimulator.StartAsync(SimulatorOptions.CreateDefault(), cancellationToken: Ct);

        // The plan holds while the clock stays in one minute; a pair that straddles a minute is tried again.
        for (var attempt = 1; ; attempt++)
        {
            var path = _folder.File($"attempt{attempt}.sqlite");
            string[] args = ["run", "--db", path, "--symbols", "BTC-USDT,ETH-USDT", "--lookback-hours", "48", "--base-url", simulator.BaseUrl.ToString()];
            simulator.ClearRequests();
            var minute = CurrentMinute();

            var dryRun = await CliProcess.RunAsync([.. args, "--dry-run", "--json"]);
            var requestsOfDryRun = simulator.CountCandleRequests();
            var run = await CliProcess.RunAsync(args);

            Assert.Equal(0, dryRun.ExitCode);
            Assert.Equal(0, requestsOfDryRun);
            Assert.Equal(0, run.ExitCode);
            if (CurrentMinute() != minute && attempt < 3)
            {
                continue;
            }

            using var plan = JsonDocument.Parse(dryRun.Output);
            var planned = plan.RootElement.GetProperty("symbols").EnumerateArray()
                .SelectMany(s => s.GetProperty("pages").EnumerateArray().Select(p => ((string?)s.GetProperty("instId").GetString(), (long?)p.GetProperty("after").GetInt64(), (int?)p.GetProperty("limit").GetInt32())))
                .Order().ToList();
            var made = simulator.Requests.Where(r => r.IsCandles).Select(r => (r.InstId, r.AfterMs, r.Limit)).Order().ToList();
            Assert.Equal(6, plan.RootElement.GetProperty("totalPages").GetInt32());
            Assert.Equal(planned, made);
            return;
        }
    }

    [Fact]
    public async Task RunDryRun_PlainText_ListsTheMissingMinutesAndEveryPageCursor()
    {
        await using var simulator = await BlofinSimulator.StartAsync(SimulatorOptions.CreateDefault(), cancellationToken: Ct);

        var dryRun = await CliProcess.RunAsync(["run", "--dry-run", "--db", DatabasePath, "--symbols", "SOL-USDT", "--base-url", simulator.BaseUrl.ToString()]);

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Equal(0, simulator.CountCandleRequests());
        Assert.Contains("no candle request was sent", dryRun.Output, StringComparison.Ordinal);
        Assert.Contains("SOL-USDT: 10081 of 10081 bars missing", dryRun.Output, StringComparison.Ordinal);
        Assert.Equal(8, dryRun.Output.Split('\n').Count(line => line.TrimStart().StartsWith("page after=", StringComparison.Ordinal)));
        Assert.Contains("Total: 8 candle requests; the rate limits (475/60s, 1425/300s)", dryRun.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDryRun_AgainstTheBlob_SendsNoCandleRequest()
    {
        await using var simulator = await BlofinSimulator.StartAsync(SimulatorOptions.CreateDefault(), cancellationToken: Ct);
        await using var container = await azurite.ReserveContainerAsync(Ct);
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = await azurite.GetConnectionStringAsync(Ct),
            ["Backfill__Container"] = container.Client.Name,
            ["Backfill__CacheDirectory"] = _folder.File("cache"),
        };

        var dryRun = await CliProcess.RunAsync(["run", "--dry-run", "--blob", "--symbols", "BTC-USDT", "--lookback-hours", "3", "--base-url", simulator.BaseUrl.ToString()], environment);

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Equal(0, simulator.CountCandleRequests());
        Assert.Contains($"Dry run on blob {container.Client.Name}/", dryRun.Output, StringComparison.Ordinal);
        Assert.Contains("BTC-USDT: 181 of 181 bars missing", dryRun.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CoverageFailUnder_SymbolBelow_ExitsThreeNamingItAndOtherwiseZero()
    {
        await using var simulator = await BlofinSimulator.StartAsync(SimulatorOptions.CreateDefault(), cancellationToken: Ct);
        var filled = await CliProcess.RunAsync(["run", "--db", DatabasePath, "--symbols", "BTC-USDT,ETH-USDT", "--lookback-hours", "2", "--base-url", simulator.BaseUrl.ToString()]);
        Assert.True(filled.ExitCode == 0, filled.ToString());

        var complete = await CliProcess.RunAsync(["coverage", "--db", DatabasePath, "--lookback-hours", "2", "--fail-under", "99.9"]);
        var wider = await CliProcess.RunAsync(["coverage", "--db", DatabasePath, "--lookback-hours", "3", "--fail-under", "99.9", "--symbols", "BTC-USDT"]);
        var json = await CliProcess.RunAsync(["coverage", "--db", DatabasePath, "--lookback-hours", "3", "--fail-under", "50", "--json"]);
        var nonsense = await CliProcess.RunAsync(["coverage", "--db", DatabasePath, "--fail-under", "101"]);

        Assert.True(complete.ExitCode == 0, complete.ToString());
        Assert.Equal(3, wider.ExitCode);
        Assert.Contains("below 99.9% of the minutes the exchange has", wider.Error, StringComparison.Ordinal);
        Assert.Contains("BTC-USDT", wider.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("ETH-USDT", wider.Error, StringComparison.Ordinal);
        Assert.Equal(0, json.ExitCode);
        using (var document = JsonDocument.Parse(json.Output))
        {
            Assert.Equal(50, document.RootElement.GetProperty("threshold").GetDouble());
            Assert.Empty(document.RootElement.GetProperty("belowThreshold").EnumerateArray());
        }

        Assert.Equal(2, nonsense.ExitCode);
        Assert.Contains("--fail-under takes a percent from 0 to 100", nonsense.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AfterAFullFill_ExitsZeroWithNoHourDiffering()
    {
        await using var simulator = await BlofinSimulator.StartAsync(SimulatorOptions.CreateDefault(), cancellationToken: Ct);
        await FillAsync(simulator);

        var verify = await CliProcess.RunAsync(["verify", "--db", DatabasePath, "--symbols", "BTC-USDT,ETH-USDT", "--hours", "24", "--base-url", simulator.BaseUrl.ToString()]);

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Matches(@"BTC-USDT: 24 hours, 2[34] match, 0 differ, [01] incomplete", verify.Output);
        Assert.Matches(@"ETH-USDT: 24 hours, 2[34] match, 0 differ, [01] incomplete", verify.Output);
        Assert.Equal(2, simulator.Requests.Count(r => r.IsCandles && r.Bar == "1H"));
    }

    [Fact]
    public async Task Verify_InjectedDisagreement_ExitsFourNamingTheHourAndBothValues()
    {
        var hourMs = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / HourMs * HourMs) - (5 * HourMs);
        var options = SimulatorOptions.CreateDefault();
        options.Disagreements.Add(new SimulatedDisagreement("ETH-USDT", "1H", hourMs) { CloseTicks = 2 });
        await using var simulator = await BlofinSimulator.StartAsync(options, cancellationToken: Ct);
        await FillAsync(simulator);

        var verify = await CliProcess.RunAsync(["verify", "--db", DatabasePath, "--symbols", "BTC-USDT,ETH-USDT", "--base-url", simulator.BaseUrl.ToString()]);
        var json = await CliProcess.RunAsync(["verify", "--db", DatabasePath, "--symbols", "ETH-USDT", "--json", "--base-url", simulator.BaseUrl.ToString()]);

        Assert.True(verify.ExitCode == 4, verify.ToString());
        Assert.Matches(@"BTC-USDT: 24 hours, 2[34] match, 0 differ", verify.Output);
        Assert.Matches(@"ETH-USDT: 24 hours, 2[23] match, 1 differ", verify.Output);
        var hourText = DateTimeOffset.FromUnixTimeMilliseconds(hourMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
        Assert.Contains($"{hourText} differs in ", verify.Output, StringComparison.Ordinal);
        Assert.Matches(@"close\s+stored \d+(\.\d+)?\s+exchange \d+(\.\d+)?", verify.Output);
        Assert.Equal(4, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        var mismatch = Assert.Single(document.RootElement.GetProperty("symbols")[0].GetProperty("mismatches").EnumerateArray());
        var close = (mismatch.GetProperty("stored").GetProperty("close").GetDouble(), mismatch.GetProperty("exchange").GetProperty("close").GetDouble());
        Assert.Equal(close.Item1 + 0.02, close.Item2, 6);
    }

    private static long CurrentMinute() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000;

    private async Task FillAsync(BlofinSimulator simulator)
    {
        var filled = await CliProcess.RunAsync(["run", "--db", DatabasePath, "--symbols", "BTC-USDT,ETH-USDT", "--lookback-hours", "26", "--base-url", simulator.BaseUrl.ToString()]);
        Assert.True(filled.ExitCode == 0, filled.ToString());
    }
}
