using Blofin.Backfill.Storage;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Backfill;

/// <summary>The backfill's log lines; the placeholders become structured fields in Application Insights.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Enqueued {Count} backfill messages on {QueueName}, spread over {Spread}, each living {TimeToLive}")]
    public static partial void Enqueued(ILogger logger, int count, string queueName, TimeSpan spread, TimeSpan timeToLive);

    [LoggerMessage(2, LogLevel.Warning, "The timer tick is past due; running it once now")]
    public static partial void PastDueTick(ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, "Poisoned a backfill message that can never succeed: {Reason}")]
    public static partial void MessagePoisoned(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Information, "Planned {InstId} {Bar}: {Missing} of {Expected} bars missing in {Ranges} ranges, {Pages} pages")]
    public static partial void Planned(ILogger logger, string instId, string bar, long missing, long expected, int ranges, int pages);

    [LoggerMessage(5, LogLevel.Information, "Page {PageNumber}/{PageCount} of {InstId}: fetched {Rows} candles ({OldestUtc:u} to {NewestUtc:u}), {NewRows} new")]
    public static partial void PageFetched(ILogger logger, int pageNumber, int pageCount, string instId, int rows, DateTimeOffset? oldestUtc, DateTimeOffset? newestUtc, int newRows);

    [LoggerMessage(6, LogLevel.Warning, "Page {PageNumber}/{PageCount} of {InstId} failed (after={AfterMs})")]
    public static partial void PageFailed(ILogger logger, Exception exception, int pageNumber, int pageCount, string instId, long afterMs);

    [LoggerMessage(7, LogLevel.Information, "Backfilled {InstId} {Bar}: {Status}, {PresentBefore}/{Expected} -> {PresentAfter}/{Expected} bars, {Requests} requests, {Inserted} rows inserted, {SourceGapMinutes} bars absent at the exchange, in {ElapsedMs} ms")]
    public static partial void Backfilled(ILogger logger, string instId, string bar, GapFillRunStatus status, long presentBefore, long expected, long presentAfter, int requests, int inserted, long sourceGapMinutes, long elapsedMs);

    [LoggerMessage(8, LogLevel.Warning, "Backfill of {InstId} incomplete on attempt {DequeueCount}; the queue will retry it: {Error}")]
    public static partial void WillRetry(ILogger logger, string instId, long dequeueCount, string? error);

    [LoggerMessage(20, LogLevel.Information, "Revised {InstId} {Bar} candle at {OpenTimeUtc:u}: the exchange changed {Fields} ({Changes}); its value is stored, the old row kept in candle_revisions")]
    public static partial void CandleRevised(ILogger logger, string instId, string bar, DateTimeOffset openTimeUtc, string fields, string changes);

    [LoggerMessage(21, LogLevel.Information, "Rechecking {Holes} holes of {InstId} {Bar} ({Bars} bars), found at least Backfill:HoleRecheckAfter ago")]
    public static partial void RecheckPlanned(ILogger logger, string instId, string bar, int holes, long bars);

    [LoggerMessage(22, LogLevel.Information, "Rechecked hole {Range} of {InstId} {Bar}: {Filled} bars filled, {Final} bars final (still absent, after={AfterMs})")]
    public static partial void HoleRechecked(ILogger logger, string instId, string bar, string range, long filled, long final, long afterMs);

    [LoggerMessage(23, LogLevel.Warning, "Coverage below {ThresholdPercent}% of the minutes the exchange has: {Count} symbols: {Symbols}")]
    public static partial void CoverageBelowThreshold(ILogger logger, double thresholdPercent, int count, string symbols);

    [LoggerMessage(24, LogLevel.Information, "Verified {InstId} against the exchange's 1H candles: {Hours} hours, {Matched} match, {Mismatched} differ, {Incomplete} incomplete")]
    public static partial void Verified(ILogger logger, string instId, int hours, int matched, int mismatched, int incomplete);

    [LoggerMessage(25, LogLevel.Warning, "{InstId} hour {HourUtc:u} differs from the exchange's 1H candle in {Fields}")]
    public static partial void HourMismatch(ILogger logger, string instId, DateTimeOffset hourUtc, string fields);

    [LoggerMessage(26, LogLevel.Warning, "Renewing the visibility of message {MessageId} failed ({SinceRenewedMs} ms since the last renewal); trying again")]
    public static partial void MessageRenewFailed(ILogger logger, string messageId, long sinceRenewedMs, Exception exception);

    [LoggerMessage(27, LogLevel.Warning, "Message {MessageId} is no longer ours ({Reason}): another worker may run it again, which is harmless because merges are idempotent")]
    public static partial void MessageLost(ILogger logger, string messageId, string reason);

    [LoggerMessage(28, LogLevel.Warning, "Message {MessageId} was dequeued {DequeueCount} times, more than the {MaxDequeueCount} tries allowed: moved to the poison queue without running it")]
    public static partial void MessageOverDequeued(ILogger logger, string messageId, long dequeueCount, int maxDequeueCount);

    [LoggerMessage(29, LogLevel.Information, "Trimmed {InstId} {Bar} before {BeforeUtc:u} (Backfill:RetentionDays): {Candles} candles, {SourceGaps} source gaps, {Revisions} revisions, {Runs} runs deleted")]
    public static partial void Trimmed(ILogger logger, string instId, string bar, DateTimeOffset beforeUtc, long candles, long sourceGaps, long revisions, long runs);
}
