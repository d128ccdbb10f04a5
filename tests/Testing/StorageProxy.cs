using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Blofin.Backfill.Testing;

/// <summary>A pass-through HTTP proxy in front of Azurite's blob endpoint, on loopback: it counts the body bytes of
/// every request and response by operation, and can hold the merge commits (Put Block List with If-Match) or
/// corrupt ranged reads, to stand for a worker dying between staging and commit, or a download damaged on the way.</summary>
public sealed class StorageProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Expect", "Proxy-Connection", "Upgrade", "TE", "Trailer",
    };

    private readonly Uri _target;
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    private readonly ConcurrentDictionary<string, (long Requests, long Sent, long Received)> _traffic = new();
    private readonly TaskCompletionSource _commitHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    private StorageProxy(Uri target) => _target = target;

    /// <summary>The proxy's blob endpoint, e.g. <c>http://127.0.0.1:41234/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint { get; private set; } = null!;

    /// <summary>Hold every Put Block List that carries If-Match (a merge's commit; a create carries If-None-Match)
    /// until the proxy stops: the caller never hears back.</summary>
    public bool HoldMergeCommits { get; set; }

    /// <summary>Flip one bit in the body of every ranged read of a blob.</summary>
    public bool CorruptRangedReads { get; set; }

    /// <summary>Completes when the first merge commit was held.</summary>
    public Task CommitHeld => _commitHeld.Task;

    /// <summary>Starts a proxy for the blob endpoint of <paramref name="connectionString"/> and returns it with the
    /// connection string that goes through it.</summary>
    public static async Task<(StorageProxy Proxy, string ConnectionString)> StartAsync(string connectionString, CancellationToken cancellationToken)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : string.Empty, StringComparer.OrdinalIgnoreCase);
        var endpoint = new Uri(parts["BlobEndpoint"]);
        var proxy = new StorageProxy(new Uri(endpoint.GetLeftPart(UriPartial.Authority)));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.Run(proxy.ForwardAsync);
        await app.StartAsync(cancellationToken);
        proxy._app = app;
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        proxy.BlobEndpoint = new Uri(address, endpoint.AbsolutePath);
        parts["BlobEndpoint"] = proxy.BlobEndpoint.ToString().TrimEnd('/');
        return (proxy, string.Join(';', parts.Select(kv => $"{kv.Key}={kv.Value}")));
    }

    /// <summary>Requests and body bytes sent (to storage) and received (from it), by operation, since the last reset.</summary>
    public IReadOnlyDictionary<string, (long Requests, long Sent, long Received)> Traffic => new Dictionary<string, (long, long, long)>(_traffic);

    public long BytesSent => _traffic.Values.Sum(t => t.Sent);

    public long BytesReceived => _traffic.Values.Sum(t => t.Received);

    public void ResetTraffic() => _traffic.Clear();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        _client.Dispose();
        _stopping.Dispose();
    }

    private static string Operation(HttpRequest request)
    {
        var comp = request.Query["comp"].ToString();
        var ranged = request.Headers.ContainsKey("x-ms-range") || request.Headers.ContainsKey("Range");
        return (request.Method, comp) switch
        {
            ("PUT", "block") => "Put Block",
            ("PUT", "blocklist") => "Put Block List",
            ("GET", "blocklist") => "Get Block List",
            ("PUT", "lease") => "Lease",
            ("GET", "") when ranged => "Get Blob (range)",
            ("GET", "") => "Get Blob",
            ("HEAD", "") => "Get Blob Properties",
            ("PUT", "") when request.Query.ContainsKey("restype") => "Create Container",
            ("PUT", "") => "Put Blob",
            _ => $"{request.Method} {comp}",
        };
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var operation = Operation(request);
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        if (HoldMergeCommits && operation == "Put Block List" && request.Headers.ContainsKey("If-Match"))
        {
            _commitHeld.TrySetResult();
            using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            await Task.Delay(Timeout.Infinite, held.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            context.Abort();
            return;
        }

        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, rawTarget));
        if (body.Length > 0 || request.Method is "PUT" or "POST")
        {
            forward.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopHeaders.Contains(name) || string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _client.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        var content = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (CorruptRangedReads && operation == "Get Blob (range)" && response.IsSuccessStatusCode && content.Length > 0)
        {
            content[content.Length / 2] ^= 0x01;
        }

        _traffic.AddOrUpdate(
            operation,
            (1, body.Length, content.Length),
            (_, t) => (t.Requests + 1, t.Sent + body.Length, t.Received + content.Length));

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        if (!HttpMethods.IsHead(request.Method))
        {
            context.Response.ContentLength = content.Length;
            await context.Response.Body.WriteAsync(content, context.RequestAborted);
        }
    }
}
