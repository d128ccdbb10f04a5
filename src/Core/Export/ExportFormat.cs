namespace Blofin.Backfill.Export;

/// <summary>The file formats an export writes.</summary>
public enum ExportFormat
{
    /// <summary>One Parquet file per symbol and bar: <c>timestamp</c> (UTC, ms), OHLC and the three volumes, Zstd.</summary>
    Parquet,

    /// <summary>One CSV file per symbol and bar: the Parquet columns, a header, ISO 8601 UTC times.</summary>
    Csv,

    /// <summary>freqtrade's futures Parquet layout: <c>futures/BTC_USDT_USDT-1m-futures.parquet</c> with exactly
    /// <c>date, open, high, low, close, volume</c> (volume in base currency).</summary>
    Freqtrade,
}
