namespace Blofin.Backfill.Backfill;

/// <summary>How a backfill ended.</summary>
public enum BackfillStatus
{
    /// <summary>Every planned page was fetched and merged.</summary>
    Succeeded,

    /// <summary>Some pages failed; what was fetched is merged and the rest is left for a retry.</summary>
    Partial,

    /// <summary>No page could be fetched; nothing but the run record was written.</summary>
    Failed,
}
