namespace Blofin.Backfill.Exchange;

/// <summary>One OHLCV candle as Blofin serves it; the time is the candle's open.</summary>
/// <param name="OpenTimeMs">Opening time, Unix milliseconds UTC (Blofin's <c>ts</c>).</param>
/// <param name="Volume">Volume in contracts (<c>vol</c>).</param>
/// <param name="VolumeCurrency">Volume in base currency (<c>volCurrency</c>).</param>
/// <param name="VolumeQuote">Volume in quote currency (<c>volCurrencyQuote</c>).</param>
/// <param name="IsConfirmed">False while the candle is still forming (<c>confirm</c> = "0").</param>
public sealed record Candle(
    long OpenTimeMs,
    decimal Open,
    decimal High,
    decimal Low,
    decimal Close,
    decimal Volume,
    decimal VolumeCurrency,
    decimal VolumeQuote,
    bool IsConfirmed)
{
    public DateTimeOffset OpenTimeUtc => DateTimeOffset.FromUnixTimeMilliseconds(OpenTimeMs);
}
