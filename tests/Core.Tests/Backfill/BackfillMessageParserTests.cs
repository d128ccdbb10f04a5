using System.Text;
using Blofin.Backfill.Exchange;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Blofin.Backfill.Backfill;

public sealed class BackfillMessageParserTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 26, 12, 0, 30, TimeSpan.Zero);

    private static BackfillMessageParser CreateParser() =>
        new(Options.Create(new BackfillOptions { Bar = "1m", LookbackHours = 168 }), new FakeTimeProvider(s_now));

    [Fact]
    public void Parse_JsonObject_ReadsEveryField()
    {
        var request = CreateParser().Parse("""{"instId":"BTC-USDT","bar":"1m","lookbackHours":24,"trigger":"timer"}""");

        Assert.Equal(new BackfillRequest("BTC-USDT", Bar.OneMinute, 24, Trigger: BackfillTriggers.Timer), request);
    }

    [Fact]
    public void Parse_JsonWithOnlyInstId_TakesDefaultsFromOptions()
    {
        var request = CreateParser().Parse("""{"instId":"ETH-USDT"}""");

        Assert.Equal(new BackfillRequest("ETH-USDT", Bar.OneMinute, 168, Trigger: BackfillTriggers.Manual), request);
    }

    [Fact]
    public void Parse_Base64Json_ReadsTheSameAsPlainJson()
    {
        const string json = """{"instId":"SOL-USDT","lookbackHours":48}""";
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

        Assert.Equal(CreateParser().Parse(json), CreateParser().Parse(encoded));
    }

    [Theory]
    [InlineData("BTC-USDT")]
    [InlineData("  btc-usdt \n")]
    public void Parse_BareInstrumentId_NormalizesToUpperCase(string message)
    {
        var request = CreateParser().Parse(message);

        Assert.Equal("BTC-USDT", request.InstId);
        Assert.Equal(168, request.LookbackHours);
        Assert.False(request.HasExplicitRange);
    }

    [Fact]
    public void Parse_ExplicitRange_KeepsBothEndsInUtc()
    {
        var request = CreateParser().Parse("""{"instId":"BTC-USDT","from":"2026-11-20T00:00:00Z","to":"2026-11-21T02:00:00+02:00"}""");

        Assert.True(request.HasExplicitRange);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), request.FromUtc);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), request.ToUtc);
        Assert.Equal(TimeSpan.Zero, request.ToUtc!.Value.Offset);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not a message", "neither a JSON object")]
    [InlineData("{\"instId\":", "not valid JSON")]
    [InlineData("[\"BTC-USDT\"]", "neither a JSON object")]
    [InlineData("{}", "no 'instId'")]
    [InlineData("{\"instId\":42}", "'instId' must be a string")]
    [InlineData("{\"instId\":\"BTCUSDT\"}", "not a Blofin instrument ID")]
    [InlineData("{\"instId\":\"BTC-USDT-SWAP\"}", "not a Blofin instrument ID")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"bar\":\"1h\"}", "Unknown bar '1h'")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"lookbackHours\":0}", "between 1 and 8784")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"lookbackHours\":9000}", "between 1 and 8784")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"lookbackHours\":1.5}", "whole number")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"lookback\":24}", "Unknown field 'lookback'")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"from\":\"2026-11-20T00:00:00Z\"}", "both 'from' and 'to'")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"from\":\"2026-11-20T00:00:00\",\"to\":\"2026-11-21T00:00:00Z\"}", "with an offset")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"from\":\"2026-11-21T00:00:00Z\",\"to\":\"2026-11-20T00:00:00Z\"}", "must be before 'to'")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"from\":\"2024-01-01T00:00:00Z\",\"to\":\"2026-11-20T00:00:00Z\"}", "longer than 366 days")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"from\":\"2026-12-01T00:00:00Z\",\"to\":\"2026-12-02T00:00:00Z\"}", "in the future")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"lookbackHours\":24,\"from\":\"2026-11-20T00:00:00Z\",\"to\":\"2026-11-21T00:00:00Z\"}", "not both")]
    [InlineData("{\"instId\":\"BTC-USDT\",\"trigger\":\"cron\"}", "Unknown trigger 'cron'")]
    public void Parse_MessageThatCanNeverSucceed_ThrowsWithReason(string message, string reason)
    {
        var error = Assert.Throws<InvalidBackfillMessageException>(() => CreateParser().Parse(message));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongGarbage_EchoesOnlyTheStart()
    {
        var error = Assert.Throws<InvalidBackfillMessageException>(() => CreateParser().Parse(new string('x', 5000) + " y"));

        Assert.True(error.Message.Length < 300, error.Message);
    }
}
