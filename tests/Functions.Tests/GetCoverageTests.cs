using System.Net;
using System.Text.Json;
using Blofin.Backfill.Functions.Testing;
using Blofin.Backfill.Storage;
using Blofin.Backfill.Sync;
using Blofin.Backfill.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Functions;

/// <summary><c>GET /api/coverage</c> called directly, over a blob database in Azurite.</summary>
public sealed class GetCoverageTests(AzuriteFixture azurite, SeededCoverageApp seeded) : IClassFixture<SeededCoverageApp>
{
    [Fact]
    public async Task RunAsync_NoQuery_ReturnsEverySymbolsCoverageAsJson()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = seeded.App;

        var response = (TestHttpResponseData)await app.Activate<GetCoverage>().RunAsync(CoverageDatabase.Get(app, "/api/coverage"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.ContentType);
        using var document = JsonDocument.Parse(response.ReadBody());
        var root = document.RootElement;
        Assert.Equal("1m", root.GetProperty("bar").GetString());
        Assert.Equal(168, root.GetProperty("lookbackHours").GetInt32());
        var symbols = root.GetProperty("symbols").EnumerateArray().ToDictionary(s => s.GetProperty("instId").GetString()!);
        Assert.Equal(["BTC-USDT", "ETH-USDT"], symbols.Keys.Order(StringComparer.Ordinal));
        var btc = symbols["BTC-USDT"];
        Assert.Equal(CoverageDatabase.WeekOfMinutes, btc.GetProperty("expected").GetInt64());
        Assert.Equal(CoverageDatabase.WeekOfMinutes, btc.GetProperty("present").GetInt64());
        Assert.Equal(100.0, btc.GetProperty("percent").GetDouble());
        Assert.Equal("succeeded", btc.GetProperty("lastRun").GetProperty("status").GetString());
        var eth = symbols["ETH-USDT"];
        Assert.Equal(CoverageDatabase.EthPresent, eth.GetProperty("present").GetInt64());
        Assert.Equal(CoverageDatabase.WeekOfMinutes - CoverageDatabase.EthPresent, eth.GetProperty("missing").GetInt64());
        Assert.Equal(1, eth.GetProperty("missingRanges").GetInt32());
        Assert.Equal(Math.Round(100.0 * CoverageDatabase.EthPresent / CoverageDatabase.WeekOfMinutes, 4), eth.GetProperty("percent").GetDouble());
        Assert.Equal(JsonValueKind.Null, eth.GetProperty("lastRun").ValueKind);
    }

    [Fact]
    public async Task RunAsync_SymbolsQueryWithTheFunctionKey_ReportsOnlyThoseSymbols()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = seeded.App;

        var response = (TestHttpResponseData)await app.Activate<GetCoverage>().RunAsync(
            CoverageDatabase.Get(app, "/api/coverage?code=secret&symbols=eth-usdt,SOL-USDT"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(response.ReadBody());
        var symbols = document.RootElement.GetProperty("symbols").EnumerateArray().ToArray();
        Assert.Equal(["ETH-USDT", "SOL-USDT"], symbols.Select(s => s.GetProperty("instId").GetString()));
        Assert.Equal([CoverageDatabase.EthPresent, 0L], symbols.Select(s => s.GetProperty("present").GetInt64()));
    }

    [Theory]
    [InlineData("?symbols=BTC_USDT", "is not a Blofin instrument ID")]
    [InlineData("?symbols=live", "is not a Blofin instrument ID")]
    [InlineData("?symbols=", "is empty")]
    [InlineData("?symbols=,", "is empty")]
    [InlineData("?symbol=BTC-USDT", "Unknown query parameter 'symbol'")]
    [InlineData("?BTC-USDT", "is not name=value")]
    public async Task RunAsync_BadParameters_Returns400WithAOneLineReason(string query, string reasonContains)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await InProcessFunctionsApp.StartAsync(azurite);

        var response = (TestHttpResponseData)await app.Activate<GetCoverage>().RunAsync(CoverageDatabase.Get(app, "/api/coverage" + query), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType);
        var body = response.ReadBody();
        Assert.Contains(reasonContains, body, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', body);

        // Refused before any read: not even the empty database was created.
        Assert.False(await app.Container.ExistsAsync(ct));
    }

    [Fact]
    public async Task RunAsync_BlobChangedByAnotherWriterSinceTheLastRead_ReportsTheCurrentVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await InProcessFunctionsApp.StartAsync(azurite);
        await CoverageDatabase.SeedAsync(app, ct);
        var function = app.Activate<GetCoverage>();
        var before = (TestHttpResponseData)await function.RunAsync(CoverageDatabase.Get(app, "/api/coverage"), ct);

        // Another instance (its own cache) merges SOL-USDT into the blob; this app's cached copy is now stale.
        using var otherCache = TempDirectory.Create();
        await using (var other = OtherInstance(await azurite.GetConnectionStringAsync(ct), app.Container.Name, otherCache.Path))
        {
            var candles = app.Candles("SOL-USDT", Enumerable.Range(0, 60).Select(i => CoverageDatabase.Week.StartMs + (i * 60_000L)));
            await other.MergeAsync(
                async (path, token) =>
                {
                    await using var database = await CandleDatabase.OpenAsync(path, token);
                    return await database.InsertMissingAsync("SOL-USDT", Exchange.Bar.OneMinute, candles, token);
                },
                ct);
        }

        var after = (TestHttpResponseData)await function.RunAsync(CoverageDatabase.Get(app, "/api/coverage"), ct);

        Assert.DoesNotContain("SOL-USDT", before.ReadBody(), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(after.ReadBody());
        var sol = Assert.Single(document.RootElement.GetProperty("symbols").EnumerateArray(), s => s.GetProperty("instId").GetString() == "SOL-USDT");
        Assert.Equal(60, sol.GetProperty("present").GetInt64());
    }

    private static LeasedDatabaseFile OtherInstance(string connectionString, string container, string cacheDirectory) =>
        new(
            new StorageClients(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageClients.ConnectionName] = connectionString }).Build()),
            Options.Create(new DatabaseBlobOptions { Container = container, CacheDirectory = cacheDirectory }),
            TimeProvider.System,
            NullLogger<LeasedDatabaseFile>.Instance);
}
