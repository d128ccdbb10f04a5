using System.Net;
using System.Xml.Linq;
using Blofin.Backfill.Functions.Testing;

namespace Blofin.Backfill.Functions;

/// <summary><c>GET /api/coverage.svg</c> called directly, over a blob database in Azurite.</summary>
public sealed class GetCoverageHeatmapTests(SeededCoverageApp seeded) : IClassFixture<SeededCoverageApp>
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public async Task RunAsync_NoQuery_ReturnsAnSvgHeatmapWithARowPerSymbol()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = seeded.App;

        var response = (TestHttpResponseData)await app.Activate<GetCoverageHeatmap>().RunAsync(CoverageDatabase.Get(app, "/api/coverage.svg"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.ContentType);
        var svg = XDocument.Parse(response.ReadBody());
        Assert.Equal(Svg + "svg", svg.Root?.Name);
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToArray();
        Assert.Contains("BTC-USDT", texts);
        Assert.Contains("ETH-USDT", texts);
    }

    [Fact]
    public async Task RunAsync_SymbolsQuery_DrawsOnlyThoseSymbols()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = seeded.App;

        var response = (TestHttpResponseData)await app.Activate<GetCoverageHeatmap>().RunAsync(CoverageDatabase.Get(app, "/api/coverage.svg?symbols=ETH-USDT"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var texts = XDocument.Parse(response.ReadBody()).Descendants(Svg + "text").Select(t => t.Value).ToArray();
        Assert.Contains("ETH-USDT", texts);
        Assert.DoesNotContain("BTC-USDT", texts);
    }

    [Fact]
    public async Task RunAsync_MalformedSymbols_Returns400WithTheReason()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = seeded.App;

        var response = (TestHttpResponseData)await app.Activate<GetCoverageHeatmap>().RunAsync(CoverageDatabase.Get(app, "/api/coverage.svg?symbols=BTC-USDT,DOGE"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("symbols: 'DOGE' is not a Blofin instrument ID (expected BASE-QUOTE such as BTC-USDT).", response.ReadBody());
    }
}
