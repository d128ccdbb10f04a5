using Blofin.Simulator;

namespace Blofin.Backfill.Exchange;

public sealed class BlofinClientErrorTests
{
    private static readonly CandleQuery Query = new("BTC-USDT", Bar.OneMinute, Limit: 10);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetCandlesAsync_UnknownInstrument_ThrowsUnknownInstrumentNamingIt()
    {
        await using var harness = await ExchangeHarness.StartAsync();

        var error = await Assert.ThrowsAsync<BlofinUnknownInstrumentException>(
            () => harness.Client.GetCandlesAsync(new CandleQuery("NOPE-USDT", Bar.OneMinute), Token));

        Assert.Equal("NOPE-USDT", error.InstId);
        Assert.Equal("152002", error.Code);
        Assert.False(error.IsTransient);
        Assert.Contains("Parameter instId error.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCandlesAsync_InstrumentDoesNotExistCode_ThrowsUnknownInstrument()
    {
        await using var harness = await ExchangeHarness.StartAsync();
        harness.Simulator.EnqueueResponse(200, """{"code":"152014","msg":"Instrument ID does not exist"}""");

        var error = await Assert.ThrowsAsync<BlofinUnknownInstrumentException>(() => harness.Client.GetCandlesAsync(Query, Token));

        Assert.Equal("BTC-USDT", error.InstId);
        Assert.Equal("152014", error.Code);
    }

    [Fact]
    public async Task GetCandlesAsync_BarRefused_ThrowsBadParameter()
    {
        await using var harness = await ExchangeHarness.StartAsync();
        harness.Simulator.EnqueueResponse(200, """{"code":"152002","msg":"Parameter bar error."}""");

        var error = await Assert.ThrowsAsync<BlofinBadParameterException>(() => harness.Client.GetCandlesAsync(Query, Token));

        Assert.Equal("152002", error.Code);
        Assert.False(error.IsTransient);
        Assert.Contains("Parameter bar error.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCandlesAsync_UnknownErrorCode_ThrowsBadParameterWithCodeAndMessage()
    {
        await using var harness = await ExchangeHarness.StartAsync();
        harness.Simulator.EnqueueResponse(200, """{"code":"152001","msg":"Parameter cannot be empty"}""");

        var error = await Assert.ThrowsAsync<BlofinBadParameterException>(() => harness.Client.GetCandlesAsync(Query, Token));

        Assert.Equal("152001", error.Code);
        Assert.Contains("Parameter cannot be empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SimulatedFault.RateLimited)]
    [InlineData(SimulatedFault.RateLimitedBody)]
    public async Task GetCandlesAsync_RateLimited_ThrowsRateLimitedWithTheResumeTime(SimulatedFault fault)
    {
        await using var harness = await ExchangeHarness.StartAsync(settings: new Dictionary<string, string> { ["RateLimitedPause"] = "00:05:00" });
        harness.Simulator.EnqueueFault(fault);

        var error = await Assert.ThrowsAsync<BlofinRateLimitedException>(() => harness.Client.GetCandlesAsync(Query, Token));

        Assert.Equal("429", error.Code);
        Assert.True(error.IsTransient);
        Assert.Equal(ExchangeHarness.Start.AddMinutes(5), error.ResumeAtUtc);
    }

    [Fact]
    public async Task GetCandlesAsync_Forbidden_ThrowsBannedWithTheResumeTime()
    {
        await using var harness = await ExchangeHarness.StartAsync(settings: new Dictionary<string, string> { ["BannedPause"] = "00:07:00" });
        harness.Simulator.EnqueueFault(SimulatedFault.Banned);

        var error = await Assert.ThrowsAsync<BlofinBannedException>(() => harness.Client.GetCandlesAsync(Query, Token));

        Assert.Equal("403", error.Code);
        Assert.True(error.IsTransient);
        Assert.Equal(ExchangeHarness.Start.AddMinutes(7), error.ResumeAtUtc);
    }

    [Theory]
    [InlineData(SimulatedFault.ServerError, "500")]
    [InlineData(SimulatedFault.ServerErrorBody, "500")]
    public async Task GetCandlesAsync_ServerErrorOnEveryAttempt_ThrowsServerError(SimulatedFault fault, string code)
    {
        await using var harness = await ExchangeHarness.StartAsync(settings: new Dictionary<string, string> { ["MaxRetries"] = "2" });
        harness.Simulator.EnqueueFault(fault, count: 3);

        var error = await Assert.ThrowsAsync<BlofinServerException>(() => harness.Client.GetCandlesAsync(Query, Token));

        Assert.Equal(code, error.Code);
        Assert.True(error.IsTransient);
        Assert.Equal(3, harness.Simulator.CountCandleRequests());
    }

    [Fact]
    public async Task GetCandlesAsync_HtmlInsteadOfJson_ThrowsMalformedQuotingTheBody()
    {
        await using var harness = await ExchangeHarness.StartAsync(settings: new Dictionary<string, string> { ["MaxRetries"] = "0" });
        harness.Simulator.EnqueueFault(SimulatedFault.MalformedBody);

        var error = await Assert.ThrowsAsync<BlofinMalformedResponseException>(() => harness.Client.GetCandlesAsync(Query, Token));

        Assert.True(error.IsTransient);
        Assert.Contains("<title>502 Bad Gateway</title>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCandlesAsync_TruncatedBody_ThrowsMalformedQuotingTheText()
    {
        await using var harness = await ExchangeHarness.StartAsync(settings: new Dictionary<string, string> { ["MaxRetries"] = "0" });
        harness.Simulator.EnqueueFault(SimulatedFault.TruncatedBody);

        var error = await Assert.ThrowsAsync<BlofinMalformedResponseException>(() => harness.Client.GetCandlesAsync(Query, Token));

        Assert.Contains("""{"code":"0","msg":"success","data":[[""", error.Message, StringComparison.Ordinal);
        Assert.Contains("... (", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCandlesAsync_RowWithLowAboveHigh_ThrowsMalformedNamingTheRow()
    {
        await using var harness = await ExchangeHarness.StartAsync();
        harness.Simulator.EnqueueFault(SimulatedFault.InvalidRow);

        var error = await Assert.ThrowsAsync<BlofinMalformedResponseException>(() => harness.Client.GetCandlesAsync(Query, Token));

        Assert.Contains("Row 0 of Blofin's 1m candles for BTC-USDT", error.Message, StringComparison.Ordinal);
        Assert.Contains("above high", error.Message, StringComparison.Ordinal);
        var newestRow = ExchangeHarness.Start.ToUnixTimeMilliseconds() / 60_000 * 60_000;
        Assert.Contains($"[\"{newestRow}\",", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCandlesAsync_NobodyListening_ThrowsUnavailableAfterRetries()
    {
        Uri deadUrl;
        await using (var harness = await ExchangeHarness.StartAsync())
        {
            deadUrl = harness.Simulator.BaseUrl;
        }

        await using var orphan = await ExchangeHarness.StartAsync(settings: new Dictionary<string, string> { ["BaseUrl"] = deadUrl.ToString(), ["MaxRetries"] = "1" });

        var error = await Assert.ThrowsAsync<BlofinUnavailableException>(() => orphan.Client.GetCandlesAsync(Query, Token));

        Assert.True(error.IsTransient);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }
}
