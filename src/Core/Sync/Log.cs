using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Sync;

/// <summary>The blob sync's log messages (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "Acquired the lease on {Container}/{Blob} after {Waits} waits ({WaitedMs} ms)")]
    public static partial void LeaseAcquired(ILogger logger, string container, string blob, int waits, long waitedMs);

    [LoggerMessage(4002, LogLevel.Debug, "The lease on {Container}/{Blob} is held by another; trying again in {DelayMs} ms")]
    public static partial void LeaseBusy(ILogger logger, string container, string blob, long delayMs);

    [LoggerMessage(4003, LogLevel.Information, "Downloaded {Bytes} bytes in {BlocksFetched} blocks ({BlocksReused} reused from the cached copy) of {Container}/{Blob}, {FileBytes} bytes (ETag {ETag})")]
    public static partial void Downloaded(ILogger logger, long bytes, int blocksFetched, int blocksReused, string container, string blob, long fileBytes, string etag);

    [LoggerMessage(4004, LogLevel.Debug, "The cached copy of {Container}/{Blob} is current (ETag {ETag}); downloaded nothing")]
    public static partial void CacheCurrent(ILogger logger, string container, string blob, string etag);

    [LoggerMessage(4005, LogLevel.Information, "Uploaded {Bytes} bytes in {BlocksStaged} blocks ({BlocksReused} already there) to {Container}/{Blob}, {FileBytes} bytes (ETag {ETag})")]
    public static partial void Uploaded(ILogger logger, long bytes, int blocksStaged, int blocksReused, string container, string blob, long fileBytes, string etag);

    [LoggerMessage(4006, LogLevel.Information, "Cycle merged {Callers} callers into {Container}/{Blob} ({Failed} failed) in {Attempts} attempts and {DurationMs} ms; downloaded {BytesDownloaded} bytes, uploaded {BytesUploaded} bytes in {BlocksStaged} blocks, reused {BlocksReused} blocks, file {FileBytes} bytes")]
    public static partial void CycleMerged(
        ILogger logger, int callers, string container, string blob, int failed, int attempts, long durationMs,
        long bytesDownloaded, long bytesUploaded, int blocksStaged, int blocksReused, long fileBytes);

    [LoggerMessage(4007, LogLevel.Warning, "Lost the lease on {Container}/{Blob} on attempt {Attempt}; nothing was written, starting over from the lease")]
    public static partial void MergeLeaseLost(ILogger logger, string container, string blob, int attempt, Exception exception);

    [LoggerMessage(4008, LogLevel.Warning, "A merge into {Container}/{Blob} failed; the other merges of its cycle run again without it")]
    public static partial void ApplyFailed(ILogger logger, string container, string blob, Exception exception);

    [LoggerMessage(4009, LogLevel.Information, "Created the empty database blob {Container}/{Blob}")]
    public static partial void Created(ILogger logger, string container, string blob);

    [LoggerMessage(4010, LogLevel.Debug, "Another starter created {Container}/{Blob} first")]
    public static partial void CreatedByAnother(ILogger logger, string container, string blob);

    [LoggerMessage(4011, LogLevel.Warning, "Renewing the lease on {Container}/{Blob} failed; trying again")]
    public static partial void LeaseRenewFailed(ILogger logger, string container, string blob, Exception exception);

    [LoggerMessage(4012, LogLevel.Warning, "Releasing the lease on {Container}/{Blob} failed; it expires by itself")]
    public static partial void LeaseReleaseFailed(ILogger logger, string container, string blob, Exception exception);

    [LoggerMessage(4013, LogLevel.Error, "The database blob {Container}/{Blob} is not a valid SQLite database ({Problem}); it is left unchanged")]
    public static partial void CorruptBlob(ILogger logger, string container, string blob, string problem);

    [LoggerMessage(4014, LogLevel.Warning, "The lease on {Container}/{Blob} was lost while held")]
    public static partial void LeaseLostWhileHeld(ILogger logger, string container, string blob, Exception exception);

    [LoggerMessage(4015, LogLevel.Error, "A merge cycle into {Container}/{Blob} failed; its {Callers} callers get the error")]
    public static partial void CycleFailed(ILogger logger, string container, string blob, int callers, Exception exception);

    [LoggerMessage(4016, LogLevel.Information, "Rewrote {Container}/{Blob} as a block map of {BlockSize}-byte blocks ({BlocksStaged} blocks staged); it had blocks of {PreviousBlockSize} bytes (0: no map)")]
    public static partial void Remapped(ILogger logger, string container, string blob, int previousBlockSize, int blockSize, int blocksStaged);

    [LoggerMessage(4017, LogLevel.Error, "A block of {Container}/{Blob} did not match its ID ({Problem}); the cached copy was kept")]
    public static partial void BlockMismatch(ILogger logger, string container, string blob, string problem);

    [LoggerMessage(4018, LogLevel.Warning, "Writing a merge's transfer figures into {Container}/{Blob} kept changing them after {Rounds} rounds; the run rows may be off by the last change")]
    public static partial void RecordedFiguresUnsettled(ILogger logger, string container, string blob, int rounds);
}
