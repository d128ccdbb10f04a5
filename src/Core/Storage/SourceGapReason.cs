namespace Blofin.Backfill.Storage;

/// <summary>Why a range of bars is known to be absent at the exchange.</summary>
public enum SourceGapReason
{
    /// <summary>A page returned confirmed rows on both sides of the range and none inside it.</summary>
    Hole,

    /// <summary>A page came back short: the exchange has no rows older than the range's end.</summary>
    BeforeHistory,
}
