using Blofin.Backfill.Backfill;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Blofin.Backfill.Functions;

/// <summary><c>GET /api/coverage[?symbols=BTC-USDT,ETH-USDT]</c>: the coverage JSON of <c>coverage --json</c>.</summary>
public sealed class GetCoverage(CoveragePublisher publisher)
{
    [Function(nameof(GetCoverage))]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "coverage")] HttpRequestData request,
        CancellationToken cancellationToken) =>
        CoverageResponses.CreateAsync(request, CoveragePublisher.JsonContentType, publisher.WriteJsonAsync, cancellationToken);
}
