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

    [LoggerMessage(20, LogLevel.Warning, "Renewing the visibility of message {MessageId} failed ({SinceRenewedMs} ms since the last renewal); trying again")]
    public static partial void MessageRenewFailed(ILogger logger, string messageId, long sinceRenewedMs, Exception exception);

    [LoggerMessage(21, LogLevel.Warning, "Message {MessageId} is no longer ours ({Reason}): another worker may run it again, which is harmless because merges are idempotent")]
    public static partial void MessageLost(ILogger logger, string messageId, string reason);

    [LoggerMessage(22, LogLevel.Warning, "Message {MessageId} was dequeued {DequeueCount} times, more than the {MaxDequeueCount} tries allowed: moved to the poison queue without running it")]
    public static partial void MessageOverDequeued(ILogger logger, string messageId, long dequeueCount, int maxDequeueCount);
}
