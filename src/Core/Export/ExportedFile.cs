using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Export;

/// <summary>One exported file: what it holds and how complete that is.</summary>
/// <param name="Path">The file's full path; null when the export went to a caller's stream.</param>
/// <param name="FirstOpenTimeMs">Open time of the first row written; null when no row was.</param>
/// <param name="LastOpenTimeMs">Open time of the last row written; null when no row was.</param>
/// <param name="Bytes">The file's size.</param>
public sealed record ExportedFile(
    string InstId,
    Bar Bar,
    ExportFormat Format,
    string? Path,
    long Rows,
    long? FirstOpenTimeMs,
    long? LastOpenTimeMs,
    long Bytes,
    ExportCompleteness Completeness);
