namespace Blofin.Backfill.Storage;

/// <summary>How a gap-fill run ended; stored as its lower-case name.</summary>
public enum GapFillRunStatus
{
    /// <summary>Every planned page was fetched and merged.</summary>
    Succeeded,

    /// <summary>Some pages were merged, others failed.</summary>
    Partial,

    /// <summary>Nothing was merged.</summary>
    Failed,

    /// <summary>The run was stopped before it finished (host shutdown, timeout).</summary>
    Cancelled,
}
