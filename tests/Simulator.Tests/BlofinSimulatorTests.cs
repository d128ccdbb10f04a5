using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Blofin.Simulator;

public sealed class BlofinSimulatorTests
{
    private const long MinuteMs = 60_000;
    private static readonly DateTimeOffset Midnight = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 34, 30, TimeSpan.Zero);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Candles_WorkedExampleOfTheApiNotes_IsReproducedExactly()
    {
        // Candles exist 00:00 to 00:05; the clock reads 00:05:30.
        await using var host = await SimulatorHost.StartAsync(Midnight.AddMinutes(5.5), options =>
        {
            options.Instruments.Clear();
            options.Instruments.Add(new SimulatedInstrument("EX-USDT", 2283.45m, 0.01m, 0.01m) { ListTime = Midnight });
        });
        long At(int minute) => Midnight.AddMinutes(minute).ToUnixTimeMilliseconds();

        var newest = await host.GetAsync("/api/v1/market/candles?instId=EX-USDT&limit=3");
        var older = await host.GetAsync($"/api/v1/market/candles?instId=EX-USDT&limit=3&after={At(3)}");
        var end = await host.GetAsync($"/api/v1/market/candles?instId=EX-USDT&limit=3&after={At(0)}");
        var between = await host.GetAsync($"/api/v1/market/candles?instId=EX-USDT&limit=10&before={At(1)}&after={At(4)}");

        Assert.Equal([(At(5), "0"), (At(4), "1"), (At(3), "1")], SimulatorHost.Rows(newest.Body!.Value));
        Assert.Equal([(At(2), "1"), (At(1), "1"), (At(0), "1")], SimulatorHost.Rows(older.Body!.Value));
        Assert.Empty(SimulatorHost.Rows(end.Body!.Value));
        Assert.Equal([(At(3), "1"), (At(2), "1")], SimulatorHost.Rows(between.Body!.Value));
    }

    [Fact]
    public async Task Candles_Success_HasTheDocumentedEnvelopeAndNineStrings()
    {
        await using var host = await SimulatorHost.StartAsync(Now);

        var (status, body) = await host.GetAsync("/api/v1/market/candles?instId=BTC-USDT&limit=2");

        Assert.Equal(200, status);
        Assert.Equal("0", body!.Value.GetProperty("code").GetString());
        Assert.Equal("success", body.Value.GetProperty("msg").GetString());
        var row = body.Value.GetProperty("data")[1];
        Assert.Equal(9, row.GetArrayLength());
        Assert.All(row.EnumerateArray(), field => Assert.Equal(JsonValueKind.String, field.ValueKind));
        Assert.True(host.Simulator.Market.TryGetCandle("BTC-USDT", "1m", long.Parse(row[0].GetString()!, CultureInfo.InvariantCulture), out var expected));
        Assert.Equal(expected.Close, decimal.Parse(row[4].GetString()!, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("", 500)]
    [InlineData("&limit=1440", 1440)]
    [InlineData("&limit=5000", 1440)]
    public async Task Candles_Limit_DefaultsTo500AndIsClampedTo1440(string limit, int rows)
    {
        await using var host = await SimulatorHost.StartAsync(Now);

        var (_, body) = await host.GetAsync($"/api/v1/market/candles?instId=ETH-USDT{limit}");

        Assert.Equal(rows, body!.Value.GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/v1/market/candles?instId=NOPE-USDT", "Parameter instId error.")]
    [InlineData("/api/v1/market/candles", "Parameter instId error.")]
    [InlineData("/api/v1/market/candles?instId=BTC-USDT&bar=1h", "Parameter bar error.")]
    [InlineData("/api/v1/market/candles?instId=BTC-USDT&bar=2m", "Parameter bar error.")]
    [InlineData("/api/v1/market/candles?instId=BTC-USDT&after=yesterday", "Parameter after error.")]
    [InlineData("/api/v1/market/candles?instId=BTC-USDT&limit=0", "Parameter limit error.")]
    public async Task Candles_BadParameter_Answers152002WithHttp200AndNoData(string pathAndQuery, string message)
    {
        await using var host = await SimulatorHost.StartAsync(Now);

        var (status, body) = await host.GetAsync(pathAndQuery);

        Assert.Equal(200, status);
        Assert.Equal("152002", body!.Value.GetProperty("code").GetString());
        Assert.Equal(message, body.Value.GetProperty("msg").GetString());
        Assert.False(body.Value.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Candles_EveryDocumentedBar_IsServed()
    {
        await using var host = await SimulatorHost.StartAsync(Now);

        foreach (var bar in SimulatedMarket.Bars)
        {
            var (_, body) = await host.GetAsync($"/api/v1/market/candles?instId=SOL-USDT&bar={bar}&limit=3");
            Assert.Equal(3, SimulatorHost.Rows(body!.Value).Length);
        }

        Assert.Equal(15, SimulatedMarket.Bars.Count);
    }

    [Fact]
    public async Task Instruments_Default_ListsEveryFieldTheClientReads()
    {
        await using var host = await SimulatorHost.StartAsync(Now);

        var (_, body) = await host.GetAsync("/api/v1/market/instruments");

        var instruments = body!.Value.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(host.Simulator.Market.Instruments.Count, instruments.Count);
        var newcomer = instruments.Single(i => i.GetProperty("instId").GetString() == SimulatorOptions.NewListingInstId);
        Assert.Equal(Now.AddDays(-2).ToUnixTimeMilliseconds() / MinuteMs * MinuteMs, long.Parse(newcomer.GetProperty("listTime").GetString()!, CultureInfo.InvariantCulture));
        foreach (var field in new[] { "baseCurrency", "quoteCurrency", "contractValue", "expireTime", "instType", "contractType", "state", "settleCurrency", "tickSize" })
        {
            Assert.True(newcomer.TryGetProperty(field, out _), field);
        }

        Assert.Equal("suspend", instruments.Single(i => i.GetProperty("instId").GetString() == SimulatorOptions.SuspendedInstId).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Tickers_OneInstrument_LastIsTheFormingClose()
    {
        await using var host = await SimulatorHost.StartAsync(Now);

        var (_, body) = await host.GetAsync("/api/v1/market/tickers?instId=BTC-USDT");

        var ticker = Assert.Single(body!.Value.GetProperty("data").EnumerateArray());
        var forming = host.Simulator.Market.GetCandles("BTC-USDT", "1m", null, null, 1)[0];
        Assert.Equal(forming.Close, decimal.Parse(ticker.GetProperty("last").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), ticker.GetProperty("ts").GetString());
    }

    [Fact]
    public async Task RateLimits_ShortWindowExceeded_Answers429ThenBans403UntilTheSuspensionEnds()
    {
        await using var host = await SimulatorHost.StartAsync(Now, options =>
        {
            options.ShortWindowLimit = 5;
            options.ShortWindowBan = TimeSpan.FromMinutes(5);
        });
        const string Page = "/api/v1/market/candles?instId=BTC-USDT&limit=1";

        var allowed = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            allowed.Add((await host.GetAsync(Page)).Status);
        }

        var exceeding = await host.GetAsync(Page);
        host.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        var stillBanned = await host.GetAsync(Page);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        var afterBan = await host.GetAsync(Page);

        Assert.All(allowed, status => Assert.Equal(200, status));
        Assert.Equal(429, exceeding.Status);
        Assert.Equal("429", exceeding.Body!.Value.GetProperty("code").GetString());
        Assert.Equal(403, stillBanned.Status);
        Assert.Equal(200, afterBan.Status);
    }

    [Fact]
    public async Task RateLimits_LongWindowExceeded_BansForTheLongSuspension()
    {
        await using var host = await SimulatorHost.StartAsync(Now, options =>
        {
            options.ShortWindowLimit = 5;
            options.LongWindowLimit = 12;
            options.LongWindowBan = TimeSpan.FromHours(1);
        });
        const string Page = "/api/v1/market/instruments";

        for (var minute = 0; minute < 3; minute++)
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(200, (await host.GetAsync(Page)).Status);
            }

            host.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var exceeding = await host.GetAsync(Page);
        host.Time.Advance(TimeSpan.FromMinutes(59));
        var stillBanned = await host.GetAsync(Page);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var afterBan = await host.GetAsync(Page);

        Assert.Equal(429, exceeding.Status);
        Assert.Equal(403, stillBanned.Status);
        Assert.Equal(200, afterBan.Status);
    }

    [Fact]
    public async Task RateLimits_WindowSlides_AdmitsAgainOnceOldRequestsLeaveIt()
    {
        await using var host = await SimulatorHost.StartAsync(Now, options => options.ShortWindowLimit = 3);
        const string Page = "/api/v1/market/tickers?instId=BTC-USDT";

        await host.GetAsync(Page);
        host.Time.Advance(TimeSpan.FromSeconds(30));
        await host.GetAsync(Page);
        await host.GetAsync(Page);
        host.Time.Advance(TimeSpan.FromSeconds(30));

        // The first request is exactly 60 s old: out of the window (t - 60 s, t].
        Assert.Equal(200, (await host.GetAsync(Page)).Status);
        Assert.Equal(429, (await host.GetAsync(Page)).Status);
    }

    [Theory]
    [InlineData(SimulatedFault.ServerError, 500, "500")]
    [InlineData(SimulatedFault.ServerErrorBody, 200, "500")]
    [InlineData(SimulatedFault.RateLimited, 429, "429")]
    [InlineData(SimulatedFault.RateLimitedBody, 200, "429")]
    [InlineData(SimulatedFault.Banned, 403, null)]
    [InlineData(SimulatedFault.MalformedBody, 200, null)]
    [InlineData(SimulatedFault.TruncatedBody, 200, null)]
    public async Task EnqueueFault_NextRequest_GetsTheFaultThenNormalService(SimulatedFault fault, int status, string? code)
    {
        await using var host = await SimulatorHost.StartAsync(Now);
        host.Simulator.EnqueueFault(fault);

        var faulty = await host.GetAsync("/api/v1/market/candles?instId=BTC-USDT&limit=2");
        var next = await host.GetAsync("/api/v1/market/candles?instId=BTC-USDT&limit=2");

        Assert.Equal(status, faulty.Status);
        Assert.Equal(code, faulty.Body?.GetProperty("code").ToString());
        Assert.Equal(200, next.Status);
        Assert.Equal(fault, host.Simulator.Requests[0].Fault);
        Assert.Null(host.Simulator.Requests[1].Fault);
    }

    [Fact]
    public async Task EnqueueFault_SlowResponse_WaitsOnTheSimulatorClock()
    {
        await using var host = await SimulatorHost.StartAsync(Now, options => options.SlowResponseDelay = TimeSpan.FromSeconds(30));
        host.Simulator.EnqueueFault(SimulatedFault.SlowResponse);

        var slow = host.GetAsync("/api/v1/market/candles?instId=BTC-USDT&limit=2");
        var advanced = TimeSpan.Zero;
        while (!slow.IsCompleted && advanced < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), Token);
            host.Time.Advance(TimeSpan.FromSeconds(1));
            advanced += TimeSpan.FromSeconds(1);
        }

        Assert.Equal(200, (await slow).Status);
        var received = Assert.Single(host.Simulator.Requests).ReceivedAtUtc;
        Assert.InRange(Now + advanced - received, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task FaultRates_SameFaultSeed_FailTheSameRequests()
    {
        static async Task<int[]> StatusesAsync()
        {
            await using var host = await SimulatorHost.StartAsync(Now, options =>
            {
                options.ServerErrorRate = 0.3;
                options.FaultSeed = 42;
            });
            var statuses = new int[40];
            for (var i = 0; i < statuses.Length; i++)
            {
                statuses[i] = (await host.GetAsync("/api/v1/market/candles?instId=BTC-USDT&limit=1")).Status;
            }

            return statuses;
        }

        var first = await StatusesAsync();
        var second = await StatusesAsync();

        Assert.Equal(first, second);
        Assert.InRange(first.Count(s => s == 500), 4, 20);
    }

    [Fact]
    public async Task Latency_Set_DelaysEveryReplyInRealTime()
    {
        await using var host = await SimulatorHost.StartAsync(Now, options => options.Latency = TimeSpan.FromMilliseconds(80));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await host.GetAsync("/api/v1/market/candles?instId=BTC-USDT&limit=1");

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(75), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Requests_Log_RecordsEachMarketRequestWithItsParameters()
    {
        await using var host = await SimulatorHost.StartAsync(Now);

        await host.GetAsync("/api/v1/market/candles?instId=BTC-USDT&bar=1H&after=1772400000000&before=1772000000000&limit=7");
        await host.GetAsync("/api/v1/market/candles?instId=ETH-USDT");
        await host.GetAsync("/api/v1/market/instruments");
        await host.GetAsync("/_simulator/requests");

        var request = host.Simulator.Requests[0];
        Assert.Equal(3, host.Simulator.Requests.Count);
        Assert.Equal(new SimulatorRequest(Now, "/api/v1/market/candles", "?instId=BTC-USDT&bar=1H&after=1772400000000&before=1772000000000&limit=7", 200, "BTC-USDT")
        {
            Bar = "1H",
            AfterMs = 1772400000000,
            BeforeMs = 1772000000000,
            Limit = 7,
            Rows = 7,
            Code = "0",
            ClientIp = "127.0.0.1",
        }, request);
        Assert.Equal(2, host.Simulator.CountCandleRequests());
        Assert.Equal(1, host.Simulator.CountCandleRequests("ETH-USDT"));
        host.Simulator.ClearRequests();
        Assert.Empty(host.Simulator.Requests);
    }

    [Fact]
    public async Task Admin_RequestsEndpoint_ServesTheLogAsJson()
    {
        await using var host = await SimulatorHost.StartAsync(Now);
        await host.GetAsync("/api/v1/market/candles?instId=BTC-USDT&limit=4");

        var (status, body) = await host.GetAsync("/_simulator/requests");

        Assert.Equal(200, status);
        var entry = Assert.Single(body!.Value.EnumerateArray());
        Assert.Equal("BTC-USDT", entry.GetProperty("instId").GetString());
        Assert.Equal(4, entry.GetProperty("rows").GetInt32());
    }

    [Fact]
    public async Task Admin_AdvanceClock_MovesTheSimulatorsOwnClock()
    {
        await using var simulator = await BlofinSimulator.StartAsync(SimulatorOptions.CreateDefault(), cancellationToken: Token);
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        var before = simulator.Market.UtcNow;

        using var response = await http.PostAsync(new Uri("/_simulator/clock/advance?minutes=90", UriKind.Relative), null, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(simulator.Market.UtcNow - before, TimeSpan.FromMinutes(90), TimeSpan.FromMinutes(91));
    }

    [Fact]
    public async Task Admin_AdvanceClock_RefusesAClockItWasGiven()
    {
        await using var host = await SimulatorHost.StartAsync(Now);

        using var response = await host.Http.PostAsync(new Uri("/_simulator/clock/advance?minutes=5", UriKind.Relative), null, Token);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(Now, host.Simulator.Market.UtcNow);
        Assert.Throws<InvalidOperationException>(() => host.Simulator.AdvanceClock(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Admin_Faults_EnqueuesFaultsForOutOfProcessTests()
    {
        await using var host = await SimulatorHost.StartAsync(Now);

        using var response = await host.Http.PostAsync(new Uri("/_simulator/faults?kind=ServerError&count=2", UriKind.Relative), null, Token);
        var statuses = new[]
        {
            (await host.GetAsync("/api/v1/market/candles?instId=BTC-USDT")).Status,
            (await host.GetAsync("/api/v1/market/candles?instId=BTC-USDT")).Status,
            (await host.GetAsync("/api/v1/market/candles?instId=BTC-USDT")).Status,
        };

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([500, 500, 200], statuses);
    }

    [Fact]
    public async Task StartAsync_NoInstruments_RefusesToStart()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => BlofinSimulator.StartAsync(new SimulatorOptions(), cancellationToken: Token));
    }
}
