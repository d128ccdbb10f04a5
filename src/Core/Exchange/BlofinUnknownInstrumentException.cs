namespace Blofin.Backfill.Exchange;

/// <summary>Blofin does not know the instrument (code 152002 naming <c>instId</c>, or 152014).</summary>
public sealed class BlofinUnknownInstrumentException : BlofinException
{
    internal BlofinUnknownInstrumentException(string instId, string code, string? exchangeMessage)
        : base($"Blofin does not know instrument '{instId}' (code {code}: {exchangeMessage}).", code)
    {
        InstId = instId;
    }

    public string InstId { get; }

    public override bool IsTransient => false;
}
