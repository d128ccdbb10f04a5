namespace Blofin.Backfill.Exchange;

/// <summary>A request to Blofin failed in a way the exchange or its reply made clear; the subclass says which.</summary>
public abstract class BlofinException : Exception
{
    private protected BlofinException(string message, string? code, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The envelope's <c>code</c> (e.g. <c>152002</c>), or the HTTP status when the body had none.</summary>
    public string? Code { get; }

    /// <summary>Whether the same request may succeed later (a caller may try again after a while).</summary>
    public abstract bool IsTransient { get; }
}
