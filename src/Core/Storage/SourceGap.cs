using Blofin.Backfill.Coverage;

namespace Blofin.Backfill.Storage;

/// <summary>Bars the exchange was proved not to have, with the evidence a person can check: the request
/// (its cursor and limit), when it was made, and the rows the page returned around the range.</summary>
/// <param name="Range">The absent bars, both ends included.</param>
/// <param name="DetectedAtMs">When the page was read, Unix milliseconds UTC.</param>
/// <param name="RequestAfterMs">The request's <c>after</c> cursor.</param>
/// <param name="RequestLimit">The request's <c>limit</c>.</param>
/// <param name="NewerNeighbourMs">The open time of the confirmed bar just above the range (a returned row,
/// or the cursor bar when it was known to be stored); null if none.</param>
/// <param name="OlderNeighbourMs">The open time of the confirmed row just below the range; null for
/// <see cref="SourceGapReason.BeforeHistory"/>.</param>
/// <remarks>A range is asked for once more after <c>Backfill:HoleRecheckAfter</c>; what the exchange still lacks
/// then becomes final (<see cref="IsFinal"/>), with the request of that second look as further evidence.</remarks>
public sealed record SourceGap(
    TimeRange Range,
    SourceGapReason Reason,
    long DetectedAtMs,
    long RequestAfterMs,
    int RequestLimit,
    long? NewerNeighbourMs,
    long? OlderNeighbourMs)
{
    /// <summary>When the second look at the range was made, Unix milliseconds UTC; null until then.</summary>
    public long? RecheckedAtMs { get; init; }

    /// <summary>The <c>after</c> cursor of the request that looked again.</summary>
    public long? RecheckRequestAfterMs { get; init; }

    /// <summary>The <c>limit</c> of the request that looked again.</summary>
    public int? RecheckRequestLimit { get; init; }

    /// <summary>Whether the second look found the range still absent: it is never asked for again.</summary>
    public bool IsFinal => RecheckedAtMs is not null;

    /// <summary>Whether the range is due its one second look at <paramref name="nowMs"/>.</summary>
    public bool IsDueForRecheck(long nowMs, TimeSpan recheckAfter) =>
        !IsFinal && DetectedAtMs + (long)recheckAfter.TotalMilliseconds <= nowMs;
}
