using System.Net;
using Blofin.Backfill.Export;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Blofin.Backfill.Functions;

/// <summary>Downloads one symbol's candles as Parquet or CSV, read from the blob database's current version (no lease):
/// <c>GET /api/export/{instId}?from=ISO&amp;to=ISO&amp;format=parquet|csv</c>, at most 31 days per request.</summary>
public sealed class ExportCandles(CandleDownloadHandler handler)
{
    [Function(nameof(ExportCandles))]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "export/{instId}")] HttpRequestData request,
        string instId,
        CancellationToken cancellationToken)
    {
        var response = request.CreateResponse();
        var answer = await handler.HandleAsync(instId, name => request.Query[name], response.Body, cancellationToken);
        response.StatusCode = (HttpStatusCode)answer.StatusCode;
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers.Add(name, value);
        }

        return response;
    }
}
