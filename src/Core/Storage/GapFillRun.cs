using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Storage;

/// <summary>One gap-fill run of one symbol and bar, as recorded in <c>gap_fill_runs</c>.</summary>
public sealed record GapFillRun
{
    /// <summary>The row id; 0 for a run not yet recorded.</summary>
    public long Id { get; init; }

    public required string InstId { get; init; }

    public required Bar Bar { get; init; }

    /// <summary>What started the run: <c>timer</c>, <c>manual</c>, <c>cli</c>...</summary>
    public required string Trigger { get; init; }

    public required long WindowStartMs { get; init; }

    public required long WindowEndMs { get; init; }

    /// <summary>Bars in the window.</summary>
    public long ExpectedCount { get; init; }

    /// <summary>Bars of the window stored before the run.</summary>
    public long PresentBefore { get; init; }

    /// <summary>Bars of the window stored after the run.</summary>
    public long PresentAfter { get; init; }

    /// <summary>Exchange requests made.</summary>
    public int Requests { get; init; }

    /// <summary>Rows inserted.</summary>
    public int Inserted { get; init; }

    /// <summary>Source gaps the run found (new or already known).</summary>
    public int SourceGapsFound { get; init; }

    /// <summary>Stored candles the exchange served with other values (the old rows went to <c>candle_revisions</c>).</summary>
    public int Revised { get; init; }

    public required GapFillRunStatus Status { get; init; }

    /// <summary>What went wrong, for a run that did not succeed.</summary>
    public string? Error { get; init; }

    public required long StartedAtMs { get; init; }

    public required long FinishedAtMs { get; init; }

    public long? BytesDownloaded { get; init; }

    public long? BytesUploaded { get; init; }

    public int? BlocksStaged { get; init; }

    public int? BlocksReused { get; init; }

    /// <summary>Size of the database file after the run.</summary>
    public long? FileBytes { get; init; }
}
