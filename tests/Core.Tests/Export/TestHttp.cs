using System.Security.Claims;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Blofin.Backfill.Export;

/// <summary>The smallest <see cref="HttpRequestData"/> a function class can be called with: a GET of a URL, whose
/// response keeps its body in memory.</summary>
internal sealed class TestHttpRequestData(Uri url) : HttpRequestData(new TestFunctionContext())
{
    public override Stream Body { get; } = new MemoryStream();

    public override HttpHeadersCollection Headers { get; } = [];

    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];

    public override Uri Url { get; } = url;

    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];

    public override string Method => "GET";

    public override HttpResponseData CreateResponse() => new TestHttpResponseData(FunctionContext);
}

/// <summary>A response that keeps what the function wrote.</summary>
internal sealed class TestHttpResponseData(FunctionContext context) : HttpResponseData(context)
{
    public override System.Net.HttpStatusCode StatusCode { get; set; } = System.Net.HttpStatusCode.OK;

    public override HttpHeadersCollection Headers { get; set; } = [];

    public override Stream Body { get; set; } = new MemoryStream();

    public override HttpCookies Cookies => throw new NotSupportedException("The export sets no cookies.");

    public string Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new KeyNotFoundException(name);

    public byte[] BodyBytes() => ((MemoryStream)Body).ToArray();
}

/// <summary>A function context with nothing in it: the export function reads none of it.</summary>
internal sealed class TestFunctionContext : FunctionContext
{
    public override string InvocationId => "test";

    public override string FunctionId => "test";

    public override TraceContext TraceContext => throw new NotSupportedException();

    public override BindingContext BindingContext => throw new NotSupportedException();

    public override RetryContext RetryContext => throw new NotSupportedException();

    public override IServiceProvider InstanceServices { get; set; } = null!;

    public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException();
}
