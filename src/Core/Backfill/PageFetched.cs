namespace Blofin.Backfill.Backfill;

/// <summary>Progress of one backfill: a page came back (the old script's "Batch N: fetched ...").</summary>
/// <param name="NewRows">Confirmed rows of the page not yet in the database (to be inserted by the merge).</param>
public sealed record PageFetched(
    string InstId,
    int PageNumber,
    int PageCount,
    long AfterMs,
    int Rows,
    long? OldestOpenTimeMs,
    long? NewestOpenTimeMs,
    int NewRows);
