using System.Text.Json;
using Azure.Storage.Queues.Models;
using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>enqueue</c>, <c>tick</c> and <c>work</c> against Azurite: the path the Functions app takes, without the host.</summary>
public sealed class QueueCommandsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Enqueue_Symbol_PutsTheExactJsonMessageOnTheQueue()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.UseAzuriteAsync(azurite);

        var result = await cli.RunAsync("enqueue", "BTC-USDT");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        const string Expected = """{"instId":"BTC-USDT","bar":"1m","lookbackHours":168,"trigger":"manual"}""";
        PeekedMessage[] messages = await cli.Queue.PeekMessagesAsync(maxMessages: 32, TestContext.Current.CancellationToken);
        var message = Assert.Single(messages);
        Assert.Equal(Expected, message.MessageText);
        Assert.Equal($"Enqueued on {cli.QueueName}: {Expected}", Assert.Single(result.OutputLines));
    }

    [Fact]
    public async Task Enqueue_ManualRange_PutsFromAndToInTheMessage()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.UseAzuriteAsync(azurite);

        var result = await cli.RunAsync("enqueue", "eth-usdt", "--from", "2026-11-19T00:00:00Z", "--to", "2026-11-19T06:00:00Z");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        PeekedMessage[] messages = await cli.Queue.PeekMessagesAsync(maxMessages: 32, TestContext.Current.CancellationToken);
        Assert.Equal(
            """{"instId":"ETH-USDT","bar":"1m","from":"2026-11-19T00:00:00.0000000Z","to":"2026-11-19T06:00:00.0000000Z","trigger":"manual"}""",
            Assert.Single(messages).MessageText);
    }

    [Fact]
    public async Task Enqueue_MalformedSymbol_ExitCodeTwoAndNothingSent()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.UseAzuriteAsync(azurite);

        var result = await cli.RunAsync("enqueue", "BTC/USDT");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("'BTC/USDT'", line, StringComparison.Ordinal);
        Assert.False((await cli.Queue.ExistsAsync(TestContext.Current.CancellationToken)).Value);
    }

    [Fact]
    public async Task EnqueueThenWork_UntilEmpty_FillsTheBlobDatabaseCompletely()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.UseAzuriteAsync(azurite);
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("enqueue", "BTC-USDT")).ExitCode);

        var work = await cli.RunAsync("work", "--until-empty");
        var coverage = await cli.RunAsync("coverage", "--blob", "--json");

        Assert.Equal(ExitCodes.Success, work.ExitCode);
        Assert.Equal(
            ["BTC-USDT: succeeded, 10081/10081 bars, 8 requests, 10081 inserted, 0 absent at exchange", "Processed 1 message: 0 poisoned, 0 retries."],
            work.OutputLines);
        Assert.Equal(8, cli.Simulator.CountCandleRequests("BTC-USDT"));
        Assert.Equal(ExitCodes.Success, coverage.ExitCode);
        using var document = JsonDocument.Parse(coverage.Output);
        var symbol = Assert.Single(document.RootElement.GetProperty("symbols").EnumerateArray());
        Assert.Equal("BTC-USDT", symbol.GetProperty("instId").GetString());
        Assert.Equal(100.0, symbol.GetProperty("percent").GetDouble());
        Assert.Equal(10081, symbol.GetProperty("present").GetInt64());
        Assert.Equal("manual", symbol.GetProperty("lastRun").GetProperty("trigger").GetString());
        Assert.Equal(0, (await cli.Queue.GetPropertiesAsync(TestContext.Current.CancellationToken)).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task TickThenWork_TwoSymbols_BothCompleteInTheBlob()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.UseAzuriteAsync(azurite);

        // In the cloud the timer spreads its messages over two minutes; here nobody waits for that.
        cli.Set("Backfill:EnqueueSpread", "00:00:00");

        var tick = await cli.RunAsync("tick", "--symbols", "BTC-USDT,ETH-USDT", "--lookback-hours", "24");
        var work = await cli.RunAsync("work", "--until-empty");
        var coverage = await cli.RunAsync("coverage", "--blob", "--lookback-hours", "24");

        Assert.Equal(ExitCodes.Success, tick.ExitCode);
        Assert.Equal($"Enqueued 2 messages on {cli.QueueName}: BTC-USDT, ETH-USDT", Assert.Single(tick.OutputLines));
        Assert.Equal(ExitCodes.Success, work.ExitCode);
        Assert.Contains("BTC-USDT: succeeded, 1441/1441 bars, 2 requests, 1441 inserted, 0 absent at exchange", work.OutputLines);
        Assert.Contains("ETH-USDT: succeeded, 1441/1441 bars, 2 requests, 1441 inserted, 0 absent at exchange", work.OutputLines);
        Assert.Equal("Processed 2 messages: 0 poisoned, 0 retries.", work.OutputLines[^1]);
        Assert.Equal(ExitCodes.Success, coverage.ExitCode);
        Assert.Equal(2, coverage.OutputLines.Count);
        Assert.All(coverage.OutputLines, line => Assert.Contains(": 1441/1441 present (100.00%), 0 missing in 0 ranges", line, StringComparison.Ordinal));
        Assert.All(coverage.OutputLines, line => Assert.Contains("(timer, 2 requests)", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Work_PoisonMessage_MovesItToThePoisonQueueWithTheReason()
    {
        await using var cli = await CliHarness.StartAsync();
        await cli.UseAzuriteAsync(azurite);
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("enqueue", "BTC-USDT", "--lookback-hours", "1")).ExitCode);
        await cli.Queue.SendMessageAsync("""{"instId":"NOPE-USDT"}""", TestContext.Current.CancellationToken);

        var work = await cli.RunAsync("work", "--until-empty");

        Assert.Equal(ExitCodes.Success, work.ExitCode);
        Assert.Contains(work.OutputLines, l => l.StartsWith("poisoned: ", StringComparison.Ordinal) && l.Contains("NOPE-USDT", StringComparison.Ordinal));
        Assert.Equal("Processed 2 messages: 1 poisoned, 0 retries.", work.OutputLines[^1]);
        Assert.Equal(0, cli.Simulator.CountCandleRequests("NOPE-USDT"));
    }

    [Fact]
    public async Task Tick_NoStorageSetting_ExitCodeTwoNamingTheSetting()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("tick", "--symbols", "BTC-USDT");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: invalid setting: ", line, StringComparison.Ordinal);
        Assert.Contains("AzureWebJobsStorage", line, StringComparison.Ordinal);
    }
}
