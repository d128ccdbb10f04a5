using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Export;

/// <summary>Names, file names and content types of the export formats.</summary>
public static class ExportFormats
{
    /// <summary>The names accepted on the command line and in the HTTP query, for messages.</summary>
    public const string Names = "parquet, csv or freqtrade";

    /// <summary>The Parquet media type registered with IANA.</summary>
    public const string ParquetContentType = "application/vnd.apache.parquet";

    public const string CsvContentType = "text/csv; charset=utf-8";

    /// <summary>Parses a format name (case-insensitive).</summary>
    /// <exception cref="InvalidExportRequestException">The name is not a format.</exception>
    public static ExportFormat Parse(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "PARQUET" => ExportFormat.Parquet,
        "CSV" => ExportFormat.Csv,
        "FREQTRADE" => ExportFormat.Freqtrade,
        _ => throw new InvalidExportRequestException($"unknown format '{ExportTimes.Echo(name)}' (use {Names})."),
    };

    public static string ContentType(ExportFormat format) =>
        format == ExportFormat.Csv ? CsvContentType : ParquetContentType;

    /// <summary>The file's path relative to the export folder: <c>BTC-USDT-1m.parquet</c>, <c>BTC-USDT-1m.csv</c>, or
    /// freqtrade's <c>futures/BTC_USDT_USDT-1m-futures.parquet</c>.</summary>
    public static string RelativePath(ExportFormat format, string instId, Bar bar)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        return format switch
        {
            ExportFormat.Parquet => $"{instId}-{bar.Name}.parquet",
            ExportFormat.Csv => $"{instId}-{bar.Name}.csv",
            ExportFormat.Freqtrade => Path.Combine("futures", $"{FreqtradePairFileName(instId)}-{FreqtradeTimeframe(bar)}-futures.parquet"),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format."),
        };
    }

    /// <summary>freqtrade's file name for the USDT-margined perpetual <paramref name="instId"/>: <c>BTC-USDT</c> is the
    /// pair <c>BTC/USDT:USDT</c>, stored as <c>BTC_USDT_USDT</c>.</summary>
    internal static string FreqtradePairFileName(string instId)
    {
        var parts = instId.Split('-');
        return parts.Length == 2
            ? $"{parts[0]}_{parts[1]}_{parts[1]}"
            : throw new InvalidExportRequestException($"'{ExportTimes.Echo(instId)}' cannot be named as a freqtrade pair (expected BASE-QUOTE).");
    }

    /// <summary>freqtrade's timeframe: Blofin's units in lower case (<c>1H</c> is <c>1h</c>, <c>1D</c> is <c>1d</c>).
    /// Exports take only bars of fixed length, so the month (<c>1M</c>) never reaches here.</summary>
    internal static string FreqtradeTimeframe(Bar bar) => bar.Name.ToLowerInvariant();
}
