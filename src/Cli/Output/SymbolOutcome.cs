using Blofin.Backfill.Backfill;

namespace Blofin.Backfill.Cli.Output;

/// <summary>One symbol's end of a run: its figures, or why it has none.</summary>
internal sealed record SymbolOutcome(BackfillRequest Request, BackfillResult? Result, string? Error);
