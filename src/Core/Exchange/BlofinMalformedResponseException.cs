namespace Blofin.Backfill.Exchange;

/// <summary>Blofin's reply could not be read or held a row that cannot be right; the message quotes the offending
/// text (cut to about 200 characters).</summary>
public sealed class BlofinMalformedResponseException : BlofinException
{
    internal BlofinMalformedResponseException(string message, Exception? innerException = null)
        : base(message, code: null, innerException)
    {
    }

    public override bool IsTransient => true;
}
