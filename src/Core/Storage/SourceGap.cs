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
public sealed record SourceGap(
    TimeRange Range,
    SourceGapReason Reason,
    long DetectedAtMs,
    long RequestAfterMs,
    int RequestLimit,
    long? NewerNeighbourMs,
    long? OlderNeighbourMs);
