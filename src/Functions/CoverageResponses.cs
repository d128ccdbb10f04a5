using System.Net;
using Blofin.Backfill.Backfill;
using Microsoft.Azure.Functions.Worker.Http;

namespace Blofin.Backfill.Functions;

/// <summary>The HTTP side of the coverage functions: the query read by Core, a 400 with its reason, or the document.</summary>
internal static class CoverageResponses
{
    private const string ContentTypeHeader = "Content-Type";

    public static async Task<HttpResponseData> CreateAsync(
        HttpRequestData request,
        string contentType,
        Func<CoverageQuery, Stream, CancellationToken, Task> write,
        CancellationToken cancellationToken)
    {
        if (!CoverageQuery.TryParse(request.Query, out var query, out var error))
        {
            var refused = request.CreateResponse(HttpStatusCode.BadRequest);
            refused.Headers.Add(ContentTypeHeader, "text/plain; charset=utf-8");
            await refused.WriteStringAsync(error, cancellationToken);
            return refused;
        }

        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add(ContentTypeHeader, contentType);
        await write(query, response.Body, cancellationToken);
        return response;
    }
}
