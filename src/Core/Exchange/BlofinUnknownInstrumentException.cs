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

    /// <summary>The instrument is absent from Blofin's instrument list (found before any candle request).</summary>
    public static BlofinUnknownInstrumentException NotListed(string instId) =>
        new(instId, $"Blofin does not list instrument '{instId}' (checked /api/v1/market/instruments).");

    public override bool IsTransient => false;

    private BlofinUnknownInstrumentException(string instId, string message)
        : base(message, code: null)
    {
        InstId = instId;
    }
}
