namespace Blofin.Backfill.Storage;

/// <summary>One stored candle as the database keeps it: the open time and the REAL columns, unconverted.</summary>
/// <param name="OpenTimeMs">Opening time, Unix milliseconds UTC (<c>ts</c>).</param>
/// <param name="Volume">Volume in contracts (<c>vol</c>).</param>
/// <param name="VolumeCurrency">Volume in base currency (<c>vol_currency</c>).</param>
/// <param name="VolumeQuote">Volume in quote currency (<c>vol_quote</c>).</param>
public readonly record struct StoredCandle(
    long OpenTimeMs,
    double Open,
    double High,
    double Low,
    double Close,
    double Volume,
    double VolumeCurrency,
    double VolumeQuote);
