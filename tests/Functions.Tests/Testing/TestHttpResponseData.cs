using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Blofin.Backfill.Functions.Testing;

/// <summary>The response an HTTP function builds, kept in memory for the test to read.</summary>
internal sealed class TestHttpResponseData(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; }

    public override HttpHeadersCollection Headers { get; set; } = [];

    public override Stream Body { get; set; } = new MemoryStream();

    public override HttpCookies Cookies { get; } = new TestHttpCookies();

    /// <summary>The one Content-Type header, or null.</summary>
    public string? ContentType => Headers.TryGetValues("Content-Type", out var values) ? values.Single() : null;

    /// <summary>The body as UTF-8 text.</summary>
    public string ReadBody()
    {
        Body.Position = 0;
        using var reader = new StreamReader(Body, leaveOpen: true);
        return reader.ReadToEnd();
    }
}
