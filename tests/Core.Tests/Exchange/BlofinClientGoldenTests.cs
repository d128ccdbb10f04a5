namespace Blofin.Backfill.Exchange;

/// <summary>The documented bodies of BLOFIN_API.md, kept as files and served verbatim over HTTP.</summary>
public sealed class BlofinClientGoldenTests
{
    private static readonly CandleQuery Query = new("ETH-USDT", Bar.OneMinute, Limit: 100);

    private static readonly Candle ExampleRow = new(1703484240000, 2283.45m, 2283.45m, 2282.8m, 2282.8m, 835m, 8.35m, 19063.9805m, true);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("candles-example-row.json")]
    [InlineData("candles-empty-msg.json")]
    public async Task GetCandlesAsync_DocumentedExampleRow_ParsesEveryField(string file)
    {
        await using var harness = await ServingAsync(file);

        var candles = await harness.Client.GetCandlesAsync(Query, Token);

        Assert.Equal([ExampleRow], candles);
    }

    [Fact]
    public async Task GetCandlesAsync_DocumentedEmptyVolume_ReadsAsZero()
    {
        await using var harness = await ServingAsync("candles-empty-vol.json");

        var candles = await harness.Client.GetCandlesAsync(Query, Token);

        Assert.Equal([ExampleRow with { Volume = 0 }], candles);
    }

    [Fact]
    public async Task GetCandlesAsync_DocumentedEndOfHistory_ReturnsEmptyPage()
    {
        await using var harness = await ServingAsync("candles-end-of-history.json");

        var candles = await harness.Client.GetCandlesAsync(Query, Token);

        Assert.Empty(candles);
    }

    [Theory]
    [InlineData("error-instid.json", typeof(BlofinUnknownInstrumentException), "152002")]
    [InlineData("error-instrument-does-not-exist.json", typeof(BlofinUnknownInstrumentException), "152014")]
    [InlineData("error-bar.json", typeof(BlofinBadParameterException), "152002")]
    [InlineData("error-internal-numeric-code.json", typeof(BlofinServerException), "500")]
    [InlineData("error-too-many-requests.json", typeof(BlofinRateLimitedException), "429")]
    public async Task GetCandlesAsync_DocumentedErrorBody_ThrowsItsTypedException(string file, Type expected, string code)
    {
        await using var harness = await ServingAsync(file, maxRetries: 0);

        var error = await Assert.ThrowsAnyAsync<BlofinException>(() => harness.Client.GetCandlesAsync(Query, Token));

        Assert.IsType(expected, error);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public async Task GetInstrumentsAsync_DocumentedFields_ParsesThemAndIgnoresOthers()
    {
        await using var harness = await ServingAsync("instruments-documented-fields.json");

        var instruments = await harness.Client.GetInstrumentsAsync(Token);

        Assert.Equal([new Instrument("BTC-USDT", "BTC", "USDT", 0.001m, 1672531200000, null, "SWAP", "linear", "live", "USDT")], instruments);
    }

    private static async Task<ExchangeHarness> ServingAsync(string file, int maxRetries = 4)
    {
        var harness = await ExchangeHarness.StartAsync(settings: new Dictionary<string, string> { ["MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var body = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Exchange", "Golden", file), Token);
        harness.Simulator.EnqueueResponse(200, body);
        return harness;
    }
}
