namespace Blofin.Backfill.Exchange;

/// <summary>Makes every attempt (retries included) wait for its turn at the process-wide <see cref="BlofinRateGate"/>.</summary>
internal sealed class BlofinRateGateHandler(BlofinRateGate gate) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await gate.WaitForTurnAsync(cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
