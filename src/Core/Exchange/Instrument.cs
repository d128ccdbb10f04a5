namespace Blofin.Backfill.Exchange;

/// <summary>A tradable instrument from <c>/api/v1/market/instruments</c>; unknown fields are ignored.</summary>
public sealed record Instrument(
    string InstId,
    string BaseCurrency,
    string QuoteCurrency,
    decimal ContractValue,
    long ListTimeMs,
    long? ExpireTimeMs,
    string InstType,
    string ContractType,
    string State,
    string SettleCurrency)
{
    public bool IsLive => string.Equals(State, "live", StringComparison.Ordinal);
}
