using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Storage;

/// <summary>A stored candle the exchange later served, confirmed, with other values: the exchange's value was
/// stored and the row it replaced kept in <c>candle_revisions</c>.</summary>
/// <param name="RevisedAtMs">When the differing value was seen, Unix milliseconds UTC.</param>
/// <param name="Replaced">The row as it was stored before.</param>
/// <param name="Replacement">The exchange's value stored in its place (read back from <c>candles</c>, this is
/// the value stored now, which a later revision may have replaced in turn).</param>
/// <param name="ChangedFields">Column names of the fields that differ (<c>high</c>, <c>vol</c>...).</param>
public sealed record CandleRevision(
    string InstId,
    Bar Bar,
    long OpenTimeMs,
    long RevisedAtMs,
    StoredCandle Replaced,
    StoredCandle? Replacement,
    IReadOnlyList<string> ChangedFields);
