using Blofin.Backfill.Backfill;

namespace Blofin.Backfill.Cli.Output;

/// <summary>The JSON document <c>run --json</c> prints: one entry per symbol and the totals.</summary>
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
            symbols.Count(s => s.Status != "succeeded"),
            symbols);
    }
}

/// <summary>One symbol in <see cref="RunDocument"/>.</summary>
internal sealed record RunSymbolDocument(
    string InstId,
    string Bar,
    string Status,
    DateTimeOffset? WindowStartUtc,
    DateTimeOffset? WindowEndUtc,
    long Expected,
    long PresentBefore,
    long PresentAfter,
    double PercentBefore,
    double PercentAfter,
    int Requests,
    int Inserted,
    long SourceGapMinutes,
    double Seconds,
    string? Error)
{
    public static RunSymbolDocument From(SymbolOutcome outcome)
    {
        var r = outcome.Result;
        if (r is null)
        {
            return new RunSymbolDocument(outcome.Request.InstId, outcome.Request.Bar.Name, "failed", null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, outcome.Error);
        }

        return new RunSymbolDocument(
            r.InstId,
            r.Bar,
            r.Status.ToString().ToLowerInvariant(),
            DateTimeOffset.FromUnixTimeMilliseconds(r.Window.StartMs),
            DateTimeOffset.FromUnixTimeMilliseconds(r.Window.EndMs),
            r.Expected,
            r.PresentBefore,
            r.PresentAfter,
            Math.Round(r.PercentBefore, 4),
            Math.Round(r.PercentAfter, 4),
            r.Requests,
            r.Inserted,
            r.SourceGapMinutes,
            Math.Round(r.Elapsed.TotalSeconds, 3),
            r.Error);
    }
}
