using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Blofin.Simulator;

/// <summary>A local Blofin: the public market endpoints over HTTP on loopback, with the exchange's paging, errors,
/// per-IP limits and suspensions, injected faults, a request log and admin endpoints under <c>/_simulator/</c>.</summary>
public sealed class BlofinSimulator : IAsyncDisposable
{
    internal const string CandlesPath = "/api/v1/market/candles";
    internal const string InstrumentsPath = "/api/v1/market/instruments";
    internal const string TickersPath = "/api/v1/market/tickers";
    private const string AdminPrefix = "/_simulator/";

    private static readonly byte[] MalformedPage =
        Encoding.UTF8.GetBytes("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>The upstream server is temporarily unavailable.</p></body></html>");

    private readonly SimulatorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SimulatorClock? _ownClock;
    private readonly ClientRateLimits _rateLimits;
    private readonly FaultSchedule _faults;
    private readonly List<SimulatorRequest> _requests = [];
    private readonly Lock _requestsLock = new();
    private WebApplication? _app;

    private BlofinSimulator(SimulatorOptions options, TimeProvider? timeProvider)
    {
        _options = options;
        _ownClock = timeProvider is null ? new SimulatorClock() : null;
        _timeProvider = timeProvider ?? _ownClock!;
        _rateLimits = new ClientRateLimits(options);
        _faults = new FaultSchedule(options);
        Market = new SimulatedMarket(options, _timeProvider);
    }

    /// <summary>Where the simulator listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public SimulatedMarket Market { get; }

    public SimulatorOptions Options => _options;

    /// <summary>A snapshot of the request log (market requests only), in the order the replies were sent.</summary>
    public IReadOnlyList<SimulatorRequest> Requests
    {
        get
        {
            lock (_requestsLock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Whether <see cref="AdvanceClock"/> works: the simulator runs on its own clock (system time plus an
    /// offset), not on one the caller passed.</summary>
    public bool CanAdvanceClock => _ownClock is not null;

    /// <summary>Starts Kestrel on 127.0.0.1 (a free port when <paramref name="port"/> is 0) and returns once it listens.</summary>
    /// <param name="timeProvider">The exchange's clock (candles, windows, suspensions, slow replies); system time
    /// plus an adjustable offset when null. <see cref="SimulatorOptions.Latency"/> is always real time.</param>
    public static Task<BlofinSimulator> StartAsync(
        SimulatorOptions options,
        TimeProvider? timeProvider = null,
        int port = 0,
        CancellationToken cancellationToken = default) =>
        StartAsync(options, timeProvider, port, configureLogging: null, cancellationToken);

    internal static async Task<BlofinSimulator> StartAsync(
        SimulatorOptions options,
        TimeProvider? timeProvider,
        int port,
        Action<ILoggingBuilder>? configureLogging,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var simulator = new BlofinSimulator(options, timeProvider);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(BlofinSimulator).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        if (configureLogging is not null)
        {
            builder.Services.AddLogging(configureLogging);
        }

        var app = builder.Build();
        app.Run(simulator.HandleAsync);
        await app.StartAsync(cancellationToken);
        simulator._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.BaseUrl = new Uri(address);
        return simulator;
    }

    /// <summary>Candle requests in the log, for one instrument or all.</summary>
    public int CountCandleRequests(string? instId = null)
    {
        lock (_requestsLock)
        {
            return _requests.Count(request => request.IsCandles && (instId is null || request.InstId == instId));
        }
    }

    public void ClearRequests()
    {
        lock (_requestsLock)
        {
            _requests.Clear();
        }
    }

    /// <summary>The next <paramref name="count"/> market requests get <paramref name="fault"/> (after the per-IP
    /// limits admit them), before any random fault.</summary>
    public void EnqueueFault(SimulatedFault fault, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(new ScriptedReply(fault, null, null));
        }
    }

    /// <summary>The next market request gets exactly this status and body (e.g. a documented example).</summary>
    public void EnqueueResponse(int statusCode, string body) => _faults.Enqueue(new ScriptedReply(null, statusCode, body));

    /// <summary>Suspends the given client IPs (loopback by default) as the firewall would: 403 until then.</summary>
    /// <returns>When the suspension ends, on the simulator's clock.</returns>
    public DateTimeOffset Suspend(TimeSpan duration, params string[] clientIps)
    {
        var until = _timeProvider.GetUtcNow() + duration;
        _rateLimits.SuspendAll(until, clientIps.Length == 0 ? ["127.0.0.1"] : clientIps);
        return until;
    }

    /// <summary>Moves the simulator's own clock forward (see <see cref="CanAdvanceClock"/>).</summary>
    public void AdvanceClock(TimeSpan by)
    {
        if (_ownClock is null)
        {
            throw new InvalidOperationException("The simulator runs on the clock it was given; advance that clock instead.");
        }

        _ownClock.Advance(by);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
            _app = null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith(AdminPrefix, StringComparison.Ordinal))
        {
            await HandleAdminAsync(context, path);
            return;
        }

        if (path is not (CandlesPath or InstrumentsPath or TickersPath))
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, Envelope("404", "Not Found"), cancellationToken: context.RequestAborted);
            return;
        }

        var receivedAt = _timeProvider.GetUtcNow();
        var log = new SimulatorRequest(receivedAt, path, context.Request.QueryString.Value ?? "", 0, Text(context, "instId"))
        {
            ClientIp = context.Connection.RemoteIpAddress?.ToString(),
            UserAgent = context.Request.Headers.UserAgent.Count > 0 ? context.Request.Headers.UserAgent.ToString() : null,
            Bar = Text(context, "bar"),
            AfterMs = Number(context, "after"),
            BeforeMs = Number(context, "before"),
            Limit = (int?)Number(context, "limit"),
        };
        SimulatorRequest? unanswered;
        try
        {
            unanswered = await ServeMarketAsync(context, path, receivedAt, log);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            unanswered = log with { StatusCode = 499 };
        }

        if (unanswered is not null)
        {
            Record(unanswered);
        }
    }

    private void Record(SimulatorRequest request)
    {
        lock (_requestsLock)
        {
            _requests.Add(request);
        }
    }

    /// <returns>Null when a reply was sent (<see cref="SendAsync"/> logged the request); otherwise the request to log.</returns>
    private async Task<SimulatorRequest?> ServeMarketAsync(HttpContext context, string path, DateTimeOffset receivedAt, SimulatorRequest log)
    {
        var cancellationToken = context.RequestAborted;
        switch (_rateLimits.Admit(log.ClientIp ?? "unknown", receivedAt))
        {
            case RateVerdict.Banned:
                return await SendAsync(context, log, StatusCodes.Status403Forbidden, "403 Forbidden: this IP is suspended."u8.ToArray(), code: null, "text/plain");
            case RateVerdict.RateLimited:
                return await SendAsync(context, log, StatusCodes.Status429TooManyRequests, Envelope("429", "Too Many Requests"), "429");
        }

        var scripted = _faults.Next();
        if (scripted is { Fault: null, StatusCode: { } status, Body: { } body })
        {
            return await SendAsync(context, log, status, Encoding.UTF8.GetBytes(body), code: null);
        }

        var fault = scripted?.Fault;
        log = log with { Fault = fault };
        switch (fault)
        {
            case SimulatedFault.ServerError:
                return await SendAsync(context, log, StatusCodes.Status500InternalServerError, Envelope("500", "Internal Server Error"), "500");
            case SimulatedFault.ServerErrorBody:
                return await SendAsync(context, log, StatusCodes.Status200OK, """{"code":500,"msg":"Internal Server Error"}"""u8.ToArray(), "500");
            case SimulatedFault.RateLimited:
                return await SendAsync(context, log, StatusCodes.Status429TooManyRequests, Envelope("429", "Too Many Requests"), "429");
            case SimulatedFault.RateLimitedBody:
                return await SendAsync(context, log, StatusCodes.Status200OK, Envelope("429", "Too Many Requests"), "429");
            case SimulatedFault.Banned:
                return await SendAsync(context, log, StatusCodes.Status403Forbidden, "403 Forbidden"u8.ToArray(), code: null, "text/plain");
            case SimulatedFault.MalformedBody:
                return await SendAsync(context, log, StatusCodes.Status200OK, MalformedPage, code: null, "text/html");
            case SimulatedFault.SlowResponse:
                try
                {
                    await Task.Delay(_options.SlowResponseDelay, _timeProvider, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // The client gave up first (its attempt timeout): logged with the fault that made it wait.
                    return log with { StatusCode = 499 };
                }

                break;
        }

        var reply = path switch
        {
            CandlesPath => Candles(context, fault == SimulatedFault.InvalidRow),
            InstrumentsPath => Instruments(),
            _ => Tickers(context),
        };
        log = log with { Rows = reply.Rows, Code = reply.Code };
        var bytes = reply.Body;
        if (fault == SimulatedFault.TruncatedBody)
        {
            bytes = bytes[..(bytes.Length / 2)];
        }

        return await SendAsync(context, log, StatusCodes.Status200OK, bytes, reply.Code);
    }

    private async Task<SimulatorRequest?> SendAsync(HttpContext context, SimulatorRequest log, int status, byte[] body, string? code, string contentType = "application/json")
    {
        if (_options.Latency > TimeSpan.Zero)
        {
            // Real time whatever the simulator's clock: it stands for the network, and benchmarks measure it.
            await Task.Delay(_options.Latency, context.RequestAborted);
        }

        // Logged before the reply leaves: a client that has read the whole reply finds its request in the log (logged
        // after the write, a test that cleared the log right after a run saw that run's last request arrive later).
        Record(log with { StatusCode = status, Code = code ?? log.Code });
        try
        {
            await WriteAsync(context, status, body, contentType, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left while the reply was being written: the request was served and stays logged so.
        }

        return null;
    }

    private MarketReply Candles(HttpContext context, bool invalidRow)
    {
        var instId = Text(context, "instId");
        if (instId is null || !Market.TryGetModel(instId, out var model))
        {
            return MarketReply.Error("152002", "Parameter instId error.");
        }

        var barName = Text(context, "bar") ?? "1m";
        if (!SimulatedBar.TryParse(barName, out var bar))
        {
            return MarketReply.Error("152002", "Parameter bar error.");
        }

        if (!TryNumber(context, "after", out var after))
        {
            return MarketReply.Error("152002", "Parameter after error.");
        }

        if (!TryNumber(context, "before", out var before))
        {
            return MarketReply.Error("152002", "Parameter before error.");
        }

        if (!TryNumber(context, "limit", out var limit) || limit is <= 0)
        {
            return MarketReply.Error("152002", "Parameter limit error.");
        }

        // Like the exchange, a limit above the maximum is served the maximum rather than refused.
        var rows = Market.Query(model, bar, after, before, (int)Math.Min(limit ?? _options.DefaultLimit, _options.MaxLimit), _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        if (invalidRow && rows.Count > 0)
        {
            rows[0] = rows[0] with { Low = rows[0].High * 2 };
        }

        var buffer = new ArrayBufferWriter<byte>(128 + (rows.Count * 96));
        using (var writer = StartSuccess(buffer))
        {
            foreach (var row in rows)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(row.OpenTimeMs.ToString(CultureInfo.InvariantCulture));
                writer.WriteStringValue(Format(row.Open));
                writer.WriteStringValue(Format(row.High));
                writer.WriteStringValue(Format(row.Low));
                writer.WriteStringValue(Format(row.Close));
                writer.WriteStringValue(Format(row.Volume));
                writer.WriteStringValue(Format(row.VolumeCurrency));
                writer.WriteStringValue(Format(row.VolumeQuote));
                writer.WriteStringValue(row.IsConfirmed ? "1" : "0");
                writer.WriteEndArray();
            }

            EndSuccess(writer);
        }

        return new MarketReply(buffer.WrittenSpan.ToArray(), "0", rows.Count);
    }

    private MarketReply Instruments()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = StartSuccess(buffer))
        {
            foreach (var instrument in Market.Instruments)
            {
                writer.WriteStartObject();
                writer.WriteString("instId", instrument.InstId);
                writer.WriteString("baseCurrency", instrument.BaseCurrency);
                writer.WriteString("quoteCurrency", instrument.QuoteCurrency);
                writer.WriteString("contractValue", Format(instrument.ContractValue));
                writer.WriteString("listTime", Market.ListTimeMs(instrument.InstId).ToString(CultureInfo.InvariantCulture));
                writer.WriteString("expireTime", "0");
                writer.WriteString("maxLeverage", instrument.MaxLeverage.ToString(CultureInfo.InvariantCulture));
                writer.WriteString("minSize", Format(instrument.MinSize));
                writer.WriteString("lotSize", Format(instrument.LotSize));
                writer.WriteString("tickSize", Format(instrument.TickSize));
                writer.WriteString("instType", "SWAP");
                writer.WriteString("contractType", "linear");
                writer.WriteString("maxLimitSize", "1000000");
                writer.WriteString("maxMarketSize", "100000");
                writer.WriteString("state", instrument.State);
                writer.WriteString("settleCurrency", instrument.QuoteCurrency);
                writer.WriteEndObject();
            }

            EndSuccess(writer);
        }

        return new MarketReply(buffer.WrittenSpan.ToArray(), "0", Market.Instruments.Count);
    }

    private MarketReply Tickers(HttpContext context)
    {
        var instId = Text(context, "instId");
        if (instId is not null && !Market.IsListed(instId))
        {
            return MarketReply.Error("152002", "Parameter instId error.");
        }

        var nowMs = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var buffer = new ArrayBufferWriter<byte>();
        var count = 0;
        using (var writer = StartSuccess(buffer))
        {
            foreach (var instrument in Market.Instruments.Where(i => instId is null || i.InstId == instId))
            {
                Market.TryGetModel(instrument.InstId, out var model);
                if (nowMs < model!.ListTimeMs || Market.Last24Hours(model, nowMs) is not { } day)
                {
                    continue;
                }

                count++;
                writer.WriteStartObject();
                writer.WriteString("instId", instrument.InstId);
                writer.WriteString("last", Format(day.Close));
                writer.WriteString("lastSize", Format(instrument.MinSize));
                writer.WriteString("askPrice", Format(day.Close + instrument.TickSize));
                writer.WriteString("askSize", "10");
                writer.WriteString("bidPrice", Format(Math.Max(instrument.TickSize, day.Close - instrument.TickSize)));
                writer.WriteString("bidSize", "10");
                writer.WriteString("open24h", Format(day.Open));
                writer.WriteString("high24h", Format(day.High));
                writer.WriteString("low24h", Format(day.Low));
                writer.WriteString("volCurrency24h", Format(day.VolumeCurrency));
                writer.WriteString("vol24h", Format(day.Volume));
                writer.WriteString("ts", nowMs.ToString(CultureInfo.InvariantCulture));
                writer.WriteEndObject();
            }

            EndSuccess(writer);
        }

        return new MarketReply(buffer.WrittenSpan.ToArray(), "0", count);
    }

    private async Task HandleAdminAsync(HttpContext context, string path)
    {
        var cancellationToken = context.RequestAborted;
        var method = context.Request.Method;
        switch (path)
        {
            case "/_simulator/requests" when HttpMethods.IsGet(method):
                await WriteAsync(context, StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(Requests, SimulatorJsonContext.Default.IReadOnlyListSimulatorRequest), cancellationToken: cancellationToken);
                return;
            case "/_simulator/requests" when HttpMethods.IsDelete(method):
                ClearRequests();
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case "/_simulator/clock" when HttpMethods.IsGet(method):
                await WriteClockAsync(context);
                return;
            case "/_simulator/clock/advance" when HttpMethods.IsPost(method):
                if (!CanAdvanceClock)
                {
                    await WriteAsync(context, StatusCodes.Status409Conflict, Envelope("409", "The simulator runs on a clock it was given."), cancellationToken: cancellationToken);
                    return;
                }

                if (!TryNumber(context, "minutes", out var minutes) || minutes is not > 0)
                {
                    await WriteAsync(context, StatusCodes.Status400BadRequest, Envelope("400", "Give minutes=N, N > 0."), cancellationToken: cancellationToken);
                    return;
                }

                AdvanceClock(TimeSpan.FromMinutes(minutes.Value));
                await WriteClockAsync(context);
                return;
            case "/_simulator/faults" when HttpMethods.IsPost(method):
                if (!Enum.TryParse<SimulatedFault>(Text(context, "kind"), ignoreCase: true, out var fault)
                    || !TryNumber(context, "count", out var count) || count is <= 0)
                {
                    await WriteAsync(context, StatusCodes.Status400BadRequest, Envelope("400", $"Give kind=({string.Join('|', Enum.GetNames<SimulatedFault>())}) and optionally count=N."), cancellationToken: cancellationToken);
                    return;
                }

                EnqueueFault(fault, (int)(count ?? 1));
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            default:
                await WriteAsync(context, StatusCodes.Status404NotFound, Envelope("404", "Admin endpoints: GET|DELETE /_simulator/requests, GET /_simulator/clock, POST /_simulator/clock/advance?minutes=N, POST /_simulator/faults?kind=K&count=N."), cancellationToken: cancellationToken);
                return;
        }
    }

    private Task WriteClockAsync(HttpContext context)
    {
        var now = _timeProvider.GetUtcNow();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("utc", now);
            writer.WriteNumber("unixMs", now.ToUnixTimeMilliseconds());
            writer.WriteNumber("offsetMinutes", (_ownClock?.Offset ?? TimeSpan.Zero).TotalMinutes);
            writer.WriteEndObject();
        }

        return WriteAsync(context, StatusCodes.Status200OK, buffer.WrittenSpan.ToArray(), cancellationToken: context.RequestAborted);
    }

    private static Utf8JsonWriter StartSuccess(ArrayBufferWriter<byte> buffer)
    {
        var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteString("code", "0");
        writer.WriteString("msg", "success");
        writer.WriteStartArray("data");
        return writer;
    }

    private static void EndSuccess(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static byte[] Envelope(string code, string message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("code", code);
            writer.WriteString("msg", message);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async Task WriteAsync(HttpContext context, int status, byte[] body, string contentType = "application/json", CancellationToken cancellationToken = default)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, cancellationToken);
    }

    private static string Format(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string? Text(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private static long? Number(HttpContext context, string name) => TryNumber(context, name, out var value) ? value : null;

    /// <summary>False when the parameter is there but not a whole number; true with null when it is absent.</summary>
    private static bool TryNumber(HttpContext context, string name, out long? value)
    {
        value = null;
        var text = Text(context, name);
        if (text is null)
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    private sealed record MarketReply(byte[] Body, string Code, int? Rows)
    {
        public static MarketReply Error(string code, string message) => new(Envelope(code, message), code, null);
    }
}
