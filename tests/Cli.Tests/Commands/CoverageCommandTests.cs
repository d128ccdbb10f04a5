using System.Text.Json;
using System.Xml.Linq;

namespace Blofin.Backfill.Cli.Commands;

public sealed class CoverageCommandTests
{
    private const long WeekOfMinutes = (168 * 60) + 1;

    [Fact]
    public async Task Coverage_AfterWeekRun_PrintsOneCompleteLinePerSymbol()
    {
        await using var cli = await CliHarness.StartAsync();
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("run", "--symbols", "BTC-USDT,ETH-USDT", "--db", cli.DatabasePath)).ExitCode);

        var result = await cli.RunAsync("coverage", "--db", cli.DatabasePath);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(2, result.OutputLines.Count);
        Assert.Equal(
            "BTC-USDT: 10081/10081 present (100.00%), 0 missing in 0 ranges, largest -, 0 absent at exchange, last run succeeded at 2026-11-20 12:00Z (cli, 8 requests)",
            result.OutputLines[0]);
        Assert.StartsWith("ETH-USDT: 10081/10081 present (100.00%), 0 missing in 0 ranges", result.OutputLines[1], StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Coverage_ShortRunOverWeek_ReportsMissingRangeAndLargestGap()
    {
        await using var cli = await CliHarness.StartAsync();
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.DatabasePath, "--lookback-hours", "24")).ExitCode);

        var result = await cli.RunAsync("coverage", "--db", cli.DatabasePath);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var line = Assert.Single(result.OutputLines);
        Assert.StartsWith(
            "BTC-USDT: 1441/10081 present (14.29%), 8640 missing in 1 ranges, largest 8640 bars from 2026-11-13 11:59Z, 0 absent at exchange, last run succeeded",
            line,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coverage_Json_ReportsTheFiguresAndTheLastRun()
    {
        await using var cli = await CliHarness.StartAsync();
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("run", "--symbols", "BTC-USDT,ETH-USDT", "--db", cli.DatabasePath)).ExitCode);

        var result = await cli.RunAsync("coverage", "--db", cli.DatabasePath, "--symbols", "ETH-USDT", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var document = JsonDocument.Parse(result.Output);
        Assert.Equal(168, document.RootElement.GetProperty("lookbackHours").GetInt32());
        var symbol = Assert.Single(document.RootElement.GetProperty("symbols").EnumerateArray());
        Assert.Equal("ETH-USDT", symbol.GetProperty("instId").GetString());
        Assert.Equal(WeekOfMinutes, symbol.GetProperty("expected").GetInt64());
        Assert.Equal(WeekOfMinutes, symbol.GetProperty("present").GetInt64());
        Assert.Equal(0, symbol.GetProperty("missing").GetInt64());
        Assert.Equal(0, symbol.GetProperty("missingRanges").GetInt32());
        Assert.Equal(100.0, symbol.GetProperty("percent").GetDouble());
        Assert.Equal(JsonValueKind.Null, symbol.GetProperty("largestMissingRange").ValueKind);
        var lastRun = symbol.GetProperty("lastRun");
        Assert.Equal("succeeded", lastRun.GetProperty("status").GetString());
        Assert.Equal("cli", lastRun.GetProperty("trigger").GetString());
        Assert.Equal(8, lastRun.GetProperty("requests").GetInt32());
        Assert.Equal(WeekOfMinutes, lastRun.GetProperty("inserted").GetInt32());
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Coverage_Svg_WritesWellFormedHeatmapWithOneRowPerSymbol()
    {
        await using var cli = await CliHarness.StartAsync();
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("run", "--symbols", "BTC-USDT,ETH-USDT", "--db", cli.DatabasePath, "--lookback-hours", "24")).ExitCode);
        var svgPath = cli.Folder.Combine("out", "coverage.svg");

        var result = await cli.RunAsync("coverage", "--db", cli.DatabasePath, "--svg", svgPath, "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var svg = XDocument.Load(svgPath);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        var rows = svg.Descendants(ns + "g").Select(g => (string?)g.Attribute("data-row")).OfType<string>().ToList();
        Assert.Equal(["BTC-USDT", "ETH-USDT"], rows);
        Assert.False(File.Exists(svgPath + ".tmp"));

        // The notice goes to standard error, so standard output stays one JSON document.
        using var _ = JsonDocument.Parse(result.Output);
        Assert.Contains($"Wrote the heatmap of 2 symbols x 169 hours to {svgPath}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coverage_NoDatabaseFile_ExitCodeTwoNamingThePath()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("coverage", "--db", cli.DatabasePath);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Equal($"error: no database at '{cli.DatabasePath}' (give --db PATH, or --blob for the database in Azure Storage).", line);
        Assert.False(File.Exists(cli.DatabasePath));
    }

    [Fact]
    public async Task Coverage_DatabaseNotSqlite_ExitCodeTwoNamingTheFile()
    {
        await using var cli = await CliHarness.StartAsync();
        await File.WriteAllBytesAsync(cli.DatabasePath, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))], TestContext.Current.CancellationToken);

        var result = await cli.RunAsync("coverage", "--db", cli.DatabasePath, "--json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"error: The candle database '{cli.DatabasePath}' is not a SQLite database", line, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Coverage_MalformedSymbolFilter_ExitCodeTwoNamingTheOption()
    {
        await using var cli = await CliHarness.StartAsync();
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.DatabasePath, "--lookback-hours", "1")).ExitCode);

        var result = await cli.RunAsync("coverage", "--db", cli.DatabasePath, "--symbols", "btc_usdt");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: --symbols: 'btc_usdt'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coverage_OnTerminal_ShowsTableAndLargestGaps()
    {
        await using var cli = await CliHarness.StartAsync();
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.DatabasePath, "--lookback-hours", "24")).ExitCode);

        var result = await cli.RunOnTerminalAsync("coverage", "--db", cli.DatabasePath);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Coverage of 1m candles over 168 h", result.Output, StringComparison.Ordinal);
        Assert.Contains("14.29%", result.Output, StringComparison.Ordinal);
        Assert.Contains("BTC-USDT  8,640 bars, 2026-11-13 11:59Z to 2026-11-19 11:58Z", result.Output, StringComparison.Ordinal);
    }
}
