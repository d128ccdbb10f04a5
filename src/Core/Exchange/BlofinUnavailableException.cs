namespace Blofin.Backfill.Exchange;

/// <summary>Blofin could not be reached or did not answer in time (connection failure or attempt timeout), still
/// after the configured retries.</summary>
public sealed class BlofinUnavailableException : BlofinException
{
    internal BlofinUnavailableException(string message, Exception innerException)
        : base(message, code: null, innerException)
    {
    }

    public override bool IsTransient => true;
}
