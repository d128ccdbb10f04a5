namespace Blofin.Backfill.Exchange;

/// <summary>Makes every attempt (retries included) wait for its turn at the process-wide <see cref="BlofinRateGate"/>
/// and hold its place in the exchange's windows until the attempt ends.</summary>
internal sealed class BlofinRateGateHandler(BlofinRateGate gate) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The ticket ends when this method does: after the handlers below (the attempt timeout, the response handler
        // that reads the body to its last byte) return or throw, a timeout or cancellation included. By then the
        // request has reached the exchange if it ever will (see BlofinRateGate).
        using var ticket = await gate.WaitForTurnAsync(cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
