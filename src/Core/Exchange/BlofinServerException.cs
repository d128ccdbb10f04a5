namespace Blofin.Backfill.Exchange;

/// <summary>Blofin failed on its side (HTTP 5xx, or code 500 in the body), still after the configured retries.</summary>
public sealed class BlofinServerException : BlofinException
{
    internal BlofinServerException(string message, string? code)
        : base(message, code)
    {
    }

    public override bool IsTransient => true;
}
