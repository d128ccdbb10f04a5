using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Export;

/// <summary>The export's log messages (event ids 6000-6099).</summary>
internal static partial class Log
{
    [LoggerMessage(6000, LogLevel.Information,
        "Exported {Rows} rows of {InstId} {Bar} as {Format} ({Bytes} bytes): {MissingBars} bars missing, {AbsentBars} absent at the exchange, of {ExpectedBars} expected")]
    public static partial void Exported(
        ILogger logger, long rows, string instId, string bar, ExportFormat format, long bytes, long missingBars, long absentBars, long expectedBars);

    [LoggerMessage(6001, LogLevel.Information,
        "Export of {Files} files ({Rows} rows, {Bytes} bytes) to {OutputDirectory} finished in {Elapsed}")]
    public static partial void ExportFinished(ILogger logger, int files, long rows, long bytes, string outputDirectory, TimeSpan elapsed);

    [LoggerMessage(6002, LogLevel.Warning,
        "Export to {OutputDirectory} failed; the files it had started were removed")]
    public static partial void ExportAbandoned(ILogger logger, Exception exception, string outputDirectory);
}
