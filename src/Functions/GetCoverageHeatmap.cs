using Blofin.Backfill.Backfill;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Blofin.Backfill.Functions;

/// <summary><c>GET /api/coverage.svg[?symbols=BTC-USDT,ETH-USDT]</c>: the coverage heatmap, one row per symbol, one cell per hour.</summary>
public sealed class GetCoverageHeatmap(CoveragePublisher publisher)
{
    [Function(nameof(GetCoverageHeatmap))]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "coverage.svg")] HttpRequestData request,
        CancellationToken cancellationToken) =>
        CoverageResponses.CreateAsync(request, CoveragePublisher.SvgContentType, publisher.WriteSvgAsync, cancellationToken);
}
