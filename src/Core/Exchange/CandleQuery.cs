namespace Blofin.Backfill.Exchange;

/// <summary>One page request to <c>/api/v1/market/candles</c>; both bounds are exclusive, as Blofin applies them.</summary>
/// <param name="InstId">The instrument, e.g. <c>BTC-USDT</c>.</param>
/// <param name="Bar">The candle interval.</param>
/// <param name="AfterMs">Only rows with <c>ts &lt; AfterMs</c> (Blofin's backward-paging cursor); null for the newest.</param>
/// <param name="BeforeMs">Only rows with <c>ts &gt; BeforeMs</c>; null for no lower bound.</param>
/// <param name="Limit">Rows asked for, 1 to <see cref="MaxLimit"/>.</param>
public sealed record CandleQuery(string InstId, Bar Bar, long? AfterMs = null, long? BeforeMs = null, int Limit = 1440)
{
    /// <summary>The most rows Blofin serves in one page.</summary>
    public const int MaxLimit = 1440;

    /// <summary>Throws <see cref="ArgumentException"/> when the query cannot be sent as it stands.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(InstId, nameof(InstId));
        ArgumentOutOfRangeException.ThrowIfLessThan(Limit, 1, nameof(Limit));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Limit, MaxLimit, nameof(Limit));
        if (Bar.Name is null)
        {
            throw new ArgumentException("The bar is not set.", nameof(Bar));
        }

        if (AfterMs is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(AfterMs), AfterMs, "A timestamp cannot be negative.");
        }

        if (BeforeMs is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BeforeMs), BeforeMs, "A timestamp cannot be negative.");
        }
    }
}
