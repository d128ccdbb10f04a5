using System.Globalization;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Export;

/// <summary>One symbol's candles over a bounded range, as one file for a download (the HTTP export).</summary>
/// <param name="FromUtc">The first open time included.</param>
/// <param name="ToUtc">The end of the range, excluded.</param>
public sealed record ExportQuery(string InstId, Bar Bar, ExportFormat Format, DateTimeOffset FromUtc, DateTimeOffset ToUtc)
{
    /// <summary>The longest range one download may ask for: a month of 1-minute bars is 44,640 rows, about 1.5 MB
    /// of Parquet, which a function instance holds with ease.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    /// <summary>The response's media type.</summary>
    public string ContentType => ExportFormats.ContentType(Format);

    /// <summary>The name to save the file as: <c>BTC-USDT-1m-20250106T0000Z-20250113T0000Z.parquet</c>.</summary>
    public string FileName => string.Create(
        CultureInfo.InvariantCulture,
        $"{InstId}-{Bar.Name}-{FromUtc.UtcDateTime:yyyyMMdd'T'HHmm'Z'}-{ToUtc.UtcDateTime:yyyyMMdd'T'HHmm'Z'}.{(Format == ExportFormat.Csv ? "csv" : "parquet")}");

    /// <summary>Reads a download's parameters as they arrive in a URL: each may be missing or malformed.</summary>
    /// <param name="format">parquet (when empty), csv or freqtrade.</param>
    /// <param name="bar">1m when empty.</param>
    /// <exception cref="InvalidExportRequestException">A parameter is missing or malformed, the range is reversed,
    /// empty or longer than <see cref="MaxRange"/>; the message names the problem.</exception>
    public static ExportQuery Parse(string? instId, string? from, string? to, string? format, string? bar)
    {
        var symbol = ParseSymbol(instId);
        var fromUtc = string.IsNullOrWhiteSpace(from)
            ? throw new InvalidExportRequestException("'from' is required (an ISO 8601 time such as 2025-01-06T00:00Z).")
            : ExportTimes.Parse(from, "from");
        var toUtc = string.IsNullOrWhiteSpace(to)
            ? throw new InvalidExportRequestException("'to' is required (an ISO 8601 time such as 2025-01-13T00:00Z).")
            : ExportTimes.Parse(to, "to");
        var parsedFormat = string.IsNullOrWhiteSpace(format) ? ExportFormat.Parquet : ExportFormats.Parse(format);
        var parsedBar = string.IsNullOrWhiteSpace(bar) ? Bar.OneMinute : CandleExporter.ParseBar(bar);
        CandleExporter.RequireRange(fromUtc, toUtc, "'from'", "'to'");
        if (toUtc - fromUtc > MaxRange)
        {
            throw new InvalidExportRequestException(string.Create(
                CultureInfo.InvariantCulture,
                $"the range {ExportTimes.Format(fromUtc.ToUnixTimeMilliseconds())}..{ExportTimes.Format(toUtc.ToUnixTimeMilliseconds())} is longer than {MaxRange.TotalDays:0} days; split it into several requests."));
        }

        return new ExportQuery(symbol, parsedBar, parsedFormat, fromUtc, toUtc);
    }

    internal static string ParseSymbol(string? instId)
    {
        try
        {
            return BackfillMessageParser.NormalizeInstrumentId(instId);
        }
        catch (InvalidBackfillMessageException ex)
        {
            throw new InvalidExportRequestException(ex.Message, ex);
        }
    }
}
