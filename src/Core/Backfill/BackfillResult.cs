using Blofin.Backfill.Coverage;
using Blofin.Backfill.Storage;
using Blofin.Backfill.Sync;

namespace Blofin.Backfill.Backfill;

/// <summary>What one backfill of one symbol did: the figures of its <c>gap_fill_runs</c> row.</summary>
/// <param name="Requests">Candle requests sent to the exchange (pages; retries inside a page not counted).</param>
/// <param name="Inserted">Rows the merge added to the database.</param>
/// <param name="SourceGapMinutes">Bars this run newly proved absent at the exchange (not recorded before).</param>
/// <param name="Error">Why the run is not complete, for a person; null when it succeeded.</param>
public sealed record BackfillResult(
    string InstId,
    string Bar,
    CoverageWindow Window,
    long Expected,
    long PresentBefore,
    long PresentAfter,
    int Requests,
    int Inserted,
    long SourceGapMinutes,
    GapFillRunStatus Status,
    string? Error,
    TimeSpan Elapsed)
{
    /// <summary>Stored candles the exchange served with other values: its values were stored, the old rows kept.</summary>
    public int Revised { get; init; }

    /// <summary>Bars of holes due their second look that the exchange has now: stored, no longer holes.</summary>
    public long HoleBarsFilled { get; init; }

    /// <summary>Bars of holes due their second look that the exchange still lacks: final, never asked for again.</summary>
    public long HoleBarsFinal { get; init; }

    public double PercentBefore => Expected == 0 ? 100 : 100.0 * PresentBefore / Expected;

    public double PercentAfter => Expected == 0 ? 100 : 100.0 * PresentAfter / Expected;

    /// <summary>Candles older than <see cref="BackfillOptions.RetentionDays"/> this run's merge deleted.</summary>
    public long Trimmed { get; init; }

    /// <summary>What the merge moved to and from the database blob (shared with the other merges of its lease
    /// cycle); null for a local database.</summary>
    public SyncTransfer? Sync { get; init; }
}
