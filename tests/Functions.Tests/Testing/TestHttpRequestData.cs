using System.Security.Claims;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Blofin.Backfill.Functions.Testing;

/// <summary>A GET request as the worker hands it to an HTTP function (a test double: it is not storage).</summary>
internal sealed class TestHttpRequestData(FunctionContext context, Uri url) : HttpRequestData(context)
{
    public override Stream Body { get; } = new MemoryStream();

    public override HttpHeadersCollection Headers { get; } = [];

    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];

    public override Uri Url { get; } = url;

    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];

    public override string Method => "GET";

    public override HttpResponseData CreateResponse() => new TestHttpResponseData(FunctionContext);
}
