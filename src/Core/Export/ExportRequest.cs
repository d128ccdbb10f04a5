using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Export;

/// <summary>What to export: which symbols and bar, in which format, over which time range, into which folder.</summary>
/// <param name="Symbols">Instrument IDs; an empty list means every symbol the database holds for <paramref name="Bar"/>.</param>
/// <param name="OutputDirectory">The folder the files go to; created if missing.</param>
/// <param name="FromUtc">The first open time to include; null: from the oldest stored bar.</param>
/// <param name="ToUtc">The end of the range, excluded (<c>--to 2025-01-08</c> stops at 2025-01-07T23:59Z); null: to the
/// newest stored bar.</param>
public sealed record ExportRequest(
    IReadOnlyList<string> Symbols,
    Bar Bar,
    ExportFormat Format,
    string OutputDirectory,
    DateTimeOffset? FromUtc = null,
    DateTimeOffset? ToUtc = null);
