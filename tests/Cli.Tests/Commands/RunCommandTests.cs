using System.Text.Json;
using Blofin.Simulator;

namespace Blofin.Backfill.Cli.Commands;

public sealed class RunCommandTests
{
    private const long WeekOfMinutes = (168 * 60) + 1;

    [Fact]
    public async Task Run_EmptyDatabaseWeek_EightRequestsPerSymbolAndEveryMinuteStored()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT,ETH-USDT", "--db", cli.DatabasePath);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(8, cli.Simulator.CountCandleRequests("BTC-USDT"));
        Assert.Equal(8, cli.Simulator.CountCandleRequests("ETH-USDT"));
        Assert.Equal(WeekOfMinutes, cli.CountRows("BTC-USDT"));
        Assert.Equal(WeekOfMinutes, cli.CountRows("ETH-USDT"));
    }

    [Fact]
    public async Task Run_Redirected_PrintsOneLinePerPageThenOnePerSymbolAndTotals()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT,ETH-USDT", "--db", cli.DatabasePath);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var lines = result.OutputLines;
        Assert.Equal((2 * 8) + 2 + 1, lines.Count);
        Assert.Equal(8, lines.Count(l => l.StartsWith("BTC-USDT page ", StringComparison.Ordinal) && l.Contains("/8: fetched ", StringComparison.Ordinal)));
        Assert.Equal(8, lines.Count(l => l.StartsWith("ETH-USDT page ", StringComparison.Ordinal)));

        // The newest page: the last closed minute back 1440 minutes, all new.
        Assert.Contains("BTC-USDT page 1/8: fetched 1440 candles (2026-11-19 12:00Z to 2026-11-20 11:59Z), 1440 new", lines);
        Assert.Contains("BTC-USDT: succeeded, coverage 0.00% -> 100.00% (10081/10081), 8 requests, 10081 inserted, 0 absent at exchange, ", lines[^3], StringComparison.Ordinal);
        Assert.StartsWith("ETH-USDT: succeeded, coverage 0.00% -> 100.00% (10081/10081), 8 requests, 10081 inserted", lines[^2], StringComparison.Ordinal);
        Assert.StartsWith("2 symbols, 16 requests, 20162 rows inserted, 0 incomplete, ", lines[^1], StringComparison.Ordinal);
        Assert.EndsWith($", into {cli.DatabasePath}", lines[^1], StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Run_Json_PrintsOneDocumentWithTheFigures()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT,ETH-USDT", "--db", cli.DatabasePath, "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var document = JsonDocument.Parse(result.Output);
        var root = document.RootElement;
        Assert.Equal(cli.DatabasePath, root.GetProperty("database").GetString());
        Assert.Equal(16, root.GetProperty("requests").GetInt32());
        Assert.Equal(2 * WeekOfMinutes, root.GetProperty("inserted").GetInt32());
        Assert.Equal(0, root.GetProperty("incomplete").GetInt32());
        var symbols = root.GetProperty("symbols").EnumerateArray().ToList();
        Assert.Equal(["BTC-USDT", "ETH-USDT"], symbols.Select(s => s.GetProperty("instId").GetString()));
        foreach (var symbol in symbols)
        {
            Assert.Equal("succeeded", symbol.GetProperty("status").GetString());
            Assert.Equal("1m", symbol.GetProperty("bar").GetString());
            Assert.Equal(WeekOfMinutes, symbol.GetProperty("expected").GetInt64());
            Assert.Equal(0, symbol.GetProperty("presentBefore").GetInt64());
            Assert.Equal(WeekOfMinutes, symbol.GetProperty("presentAfter").GetInt64());
            Assert.Equal(100.0, symbol.GetProperty("percentAfter").GetDouble());
            Assert.Equal(8, symbol.GetProperty("requests").GetInt32());
            Assert.Equal(WeekOfMinutes, symbol.GetProperty("inserted").GetInt32());
            Assert.Equal(0, symbol.GetProperty("absentAtExchange").GetInt64());
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(CliHarness.LastClosedMinuteMs), symbol.GetProperty("windowEndUtc").GetDateTimeOffset());
            Assert.Equal(JsonValueKind.Null, symbol.GetProperty("error").ValueKind);
            Assert.Equal(JsonValueKind.Null, symbol.GetProperty("sync").ValueKind);
        }

        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Run_SecondRunOfCompleteWindow_SendsNoCandleRequest()
    {
        await using var cli = await CliHarness.StartAsync();
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.DatabasePath, "--lookback-hours", "24")).ExitCode);
        cli.Simulator.ClearRequests();

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.DatabasePath, "--lookback-hours", "24");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(0, cli.Simulator.CountCandleRequests());
        Assert.StartsWith("BTC-USDT: succeeded, coverage 100.00% -> 100.00% (1441/1441), 0 requests, 0 inserted", result.OutputLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MinuteMissingAtExchange_ReportsItAbsent()
    {
        var hole = CliHarness.LastClosedMinuteMs - (long)TimeSpan.FromHours(2).TotalMilliseconds;
        await using var cli = await CliHarness.StartAsync(options => options.AddHole("BTC-USDT", hole));

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.DatabasePath, "--lookback-hours", "24", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var document = JsonDocument.Parse(result.Output);
        var symbol = Assert.Single(document.RootElement.GetProperty("symbols").EnumerateArray());
        Assert.Equal(1, symbol.GetProperty("absentAtExchange").GetInt64());
        Assert.Equal(1440, symbol.GetProperty("presentAfter").GetInt64());
        Assert.Equal("succeeded", symbol.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Run_PageFailsOnServerError_ExitCodeOneAndSymbolPartial()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Set("Blofin:MaxRetries", "0");

        // Faults go to the next market requests, and the first is the instrument list: it gets its real reply
        // (as a scripted one), the first candle page gets HTTP 500.
        using var http = new HttpClient { BaseAddress = cli.Simulator.BaseUrl };
        var instruments = await http.GetStringAsync(new Uri("/api/v1/market/instruments", UriKind.Relative), TestContext.Current.CancellationToken);
        cli.Simulator.EnqueueResponse(200, instruments);
        cli.Simulator.EnqueueFault(SimulatedFault.ServerError);

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.DatabasePath, "--lookback-hours", "24");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var summary = Assert.Single(result.OutputLines, l => l.StartsWith("BTC-USDT: ", StringComparison.Ordinal));
        Assert.StartsWith("BTC-USDT: partial, coverage 0.00% -> ", summary, StringComparison.Ordinal);
        Assert.Contains("1 of 2 pages failed", summary, StringComparison.Ordinal);
        Assert.Contains(", 1 incomplete, ", result.OutputLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownSymbol_ExitCodeTwoBeforeAnyCandleRequest()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT,NOPE-USDT", "--db", cli.DatabasePath);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: unknown symbol: ", line, StringComparison.Ordinal);
        Assert.Contains("'NOPE-USDT'", line, StringComparison.Ordinal);
        Assert.Equal(0, cli.Simulator.CountCandleRequests());
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Run_BadBar_ExitCodeTwoNamingTheBar()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.DatabasePath, "--bar", "7m");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: invalid setting: --bar 7m: ", line, StringComparison.Ordinal);
        Assert.Contains("'7m' is not a Blofin bar", line, StringComparison.Ordinal);
        Assert.Empty(cli.Simulator.Requests);
    }

    [Fact]
    public async Task Run_LookbackZero_ExitCodeTwoNamingTheOption()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.DatabasePath, "--lookback-hours", "0");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: invalid setting: --lookback-hours 0: ", line, StringComparison.Ordinal);
        Assert.Contains("LookbackHours", line, StringComparison.Ordinal);
        Assert.Empty(cli.Simulator.Requests);
    }

    [Fact]
    public async Task Run_ParallelZero_ExitCodeTwoNamingTheOption()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.DatabasePath, "--parallel", "0");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("--parallel must be between 1 and 64", line, StringComparison.Ordinal);
        Assert.Empty(cli.Simulator.Requests);
    }

    [Fact]
    public async Task Run_DatabaseNotSqlite_ExitCodeTwoNamingTheFileBeforeAnyRequest()
    {
        await using var cli = await CliHarness.StartAsync();
        await File.WriteAllTextAsync(cli.DatabasePath, "symbol,ts,open\nBTC-USDT,1,2\n", TestContext.Current.CancellationToken);

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.DatabasePath);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains($"'{cli.DatabasePath}' is not a SQLite database", line, StringComparison.Ordinal);
        Assert.Empty(cli.Simulator.Requests);
        Assert.Equal("symbol,ts,open\nBTC-USDT,1,2\n", await File.ReadAllTextAsync(cli.DatabasePath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Run_BlobWithoutStorageSetting_ExitCodeTwoNamingTheSetting()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT", "--blob");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: invalid setting: ", line, StringComparison.Ordinal);
        Assert.Contains("AzureWebJobsStorage", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ExchangeUnreachable_ExitCodeOneWithOneLine()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Set("Blofin:MaxRetries", "0");
        cli.Set("Blofin:BaseUrl", "http://127.0.0.1:1/");

        var result = await cli.RunAsync("run", "--symbols", "BTC-USDT", "--db", cli.DatabasePath);

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: the exchange failed: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RedirectedWithVerboseLogs_WritesNoControlCodes()
    {
        await using var cli = await CliHarness.StartAsync();

        var run = await cli.RunAsync("run", "--symbols", "BTC-USDT,ETH-USDT", "--db", cli.DatabasePath, "--lookback-hours", "24", "--verbose");
        var coverage = await cli.RunAsync("coverage", "--db", cli.DatabasePath, "--lookback-hours", "24", "--verbose");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(ExitCodes.Success, coverage.ExitCode);
        Assert.Contains("info SymbolBackfiller: ", run.Error, StringComparison.Ordinal);
        foreach (var text in new[] { run.Output, run.Error, coverage.Output, coverage.Error })
        {
            Assert.DoesNotContain('\u001b', text);
        }
    }

    [Fact]
    public async Task Run_OnTerminal_ShowsTableWithTheFigures()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunOnTerminalAsync("run", "--symbols", "BTC-USDT,ETH-USDT", "--db", cli.DatabasePath, "--lookback-hours", "24");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Backfill into", result.Output, StringComparison.Ordinal);
        Assert.Contains("BTC-USDT", result.Output, StringComparison.Ordinal);
        Assert.Contains("100.00%", result.Output, StringComparison.Ordinal);
        Assert.Contains("1,441", result.Output, StringComparison.Ordinal);
        Assert.Contains("2 symbols, 4 requests, 2882 rows inserted, 0 incomplete", result.Output, StringComparison.Ordinal);
    }
}
