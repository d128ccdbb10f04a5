using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Blofin.Backfill.FunctionsHost.SampleApp;

/// <summary>An HTTP function, for its route and auth level in the metadata.</summary>
public sealed class Ping
{
    [Function(nameof(Ping))]
    public HttpResponseData Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "sample/ping")] HttpRequestData request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.CreateResponse(HttpStatusCode.OK);
    }
}
