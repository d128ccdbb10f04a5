using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Exchange;

/// <summary>The exchange client's log messages, generated at compile time.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug,
        Message = "Fetched {Rows} {Bar} candles of {InstId} after {AfterMs} before {BeforeMs} in {ElapsedMs} ms")]
    public static partial void CandlesFetched(ILogger logger, string instId, string bar, long? afterMs, long? beforeMs, int rows, long elapsedMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug,
        Message = "Fetched {Count} instruments in {ElapsedMs} ms")]
    public static partial void InstrumentsFetched(ILogger logger, int count, long elapsedMs);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "Blofin answered {Signal}: no request is sent for {Pause}, until {ResumeAtUtc:O}")]
    public static partial void SendingPaused(ILogger logger, string signal, TimeSpan pause, DateTimeOffset resumeAtUtc);
}
