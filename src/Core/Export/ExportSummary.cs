namespace Blofin.Backfill.Export;

/// <summary>What an export wrote: its files (sorted by symbol), in the folder it was asked for.</summary>
public sealed record ExportSummary(string OutputDirectory, IReadOnlyList<ExportedFile> Files, TimeSpan Elapsed)
{
    public long Rows => Files.Sum(f => f.Rows);

    public long Bytes => Files.Sum(f => f.Bytes);

    public long MissingBars => Files.Sum(f => f.Completeness.MissingBars);

    public long AbsentBars => Files.Sum(f => f.Completeness.AbsentBars);

    /// <summary>Open time of the oldest row written, over every file; null when no row was.</summary>
    public long? FirstOpenTimeMs => Files.Min(f => f.FirstOpenTimeMs);

    /// <summary>Open time of the newest row written, over every file; null when no row was.</summary>
    public long? LastOpenTimeMs => Files.Max(f => f.LastOpenTimeMs);
}
