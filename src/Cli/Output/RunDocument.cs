namespace Blofin.Backfill.Cli.Output;

/// <summary>The JSON document <c>run --json</c> prints: the totals and one entry per symbol.</summary>
/// <param name="Incomplete">Symbols whose run did not succeed (the exit code is 1 when this is not 0).</param>
internal sealed record RunDocument(string Database, double WallSeconds, int Requests, int Inserted, int Incomplete, IReadOnlyList<RunSymbolDocument> Symbols)
{
    public static RunDocument From(IReadOnlyList<SymbolOutcome> outcomes, TimeSpan wall, string database)
    {
        var symbols = outcomes.Select(RunSymbolDocument.From).ToList();
        return new RunDocument(
            database,
            Math.Round(wall.TotalSeconds, 3),
            symbols.Sum(s => s.Requests),
            symbols.Sum(s => s.Inserted),
            symbols.Count(s => s.Status != RunSymbolDocument.Succeeded),
            symbols);
    }
}
