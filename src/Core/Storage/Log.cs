using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Storage;

/// <summary>The storage area's log messages (event ids 3000-3099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information,
        Message = "Created candle database {Path}")]
    public static partial void DatabaseCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Migrated {Path} from schema version {FromVersion} to {ToVersion} ({Description})")]
    public static partial void MigrationApplied(ILogger logger, string path, int fromVersion, int toVersion, string description);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug,
        Message = "Inserted {Inserted} of {Confirmed} confirmed candles for {InstId} {Bar} ({Skipped} forming skipped)")]
    public static partial void CandlesInserted(ILogger logger, int inserted, int confirmed, string instId, string bar, int skipped);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug,
        Message = "Checkpointed {Path}: {Frames} WAL frames folded into the main file")]
    public static partial void Checkpointed(ILogger logger, string path, int frames);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug,
        Message = "Recorded {Status} run {RunId} for {InstId} {Bar}")]
    public static partial void RunRecorded(ILogger logger, GapFillRunStatus status, long runId, string instId, string bar);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug,
        Message = "Merged {Confirmed} confirmed candles for {InstId} {Bar}: {Inserted} inserted, {Revised} revised ({Skipped} forming skipped)")]
    public static partial void CandlesMerged(ILogger logger, int inserted, int revised, int confirmed, string instId, string bar, int skipped);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug,
        Message = "Applied {Resolved} hole rechecks for {InstId} {Bar}: {FinalRanges} ranges final, {DueRanges} still due")]
    public static partial void HoleRechecksApplied(ILogger logger, int resolved, string instId, string bar, int finalRanges, int dueRanges);
}
