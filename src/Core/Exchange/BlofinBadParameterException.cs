namespace Blofin.Backfill.Exchange;

/// <summary>Blofin refused a parameter other than the instrument (e.g. <c>bar</c>), or answered with a client
/// error or an error code this client does not know; repeating the request cannot help.</summary>
public sealed class BlofinBadParameterException : BlofinException
{
    internal BlofinBadParameterException(string message, string? code)
        : base(message, code)
    {
    }

    public override bool IsTransient => false;
}
