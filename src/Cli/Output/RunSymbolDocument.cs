namespace Blofin.Backfill.Cli.Output;

/// <summary>One symbol in <see cref="RunDocument"/>; the names match the coverage document's where they mean the same.</summary>
/// <param name="Status"><c>succeeded</c>, <c>partial</c> or <c>failed</c>.</param>
/// <param name="AbsentAtExchange">Bars this run proved the exchange does not have.</param>
/// <param name="Seconds">The symbol's own time, from its plan to its merge.</param>
/// <param name="Sync">What its merge moved to and from the database blob; null for a local database.</param>
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
    long AbsentAtExchange,
    double Seconds,
    string? Error,
    RunSyncDocument? Sync)
{
    public const string Succeeded = "succeeded";

    public static RunSymbolDocument From(SymbolOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var r = outcome.Result;
        if (r is null)
        {
            return new RunSymbolDocument(outcome.Request.InstId, outcome.Request.Bar.Name, "failed", null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, outcome.Error, null);
        }

        return new RunSymbolDocument(
            r.InstId,
            r.Bar,
            r.Status.ToString().ToLowerInvariant(),
            r.Window.StartUtc,
            r.Window.EndUtc,
            r.Expected,
            r.PresentBefore,
            r.PresentAfter,
            Math.Round(r.PercentBefore, 4),
            Math.Round(r.PercentAfter, 4),
            r.Requests,
            r.Inserted,
            r.SourceGapMinutes,
            Math.Round(r.Elapsed.TotalSeconds, 3),
            r.Error,
            RunSyncDocument.From(r.Sync));
    }
}
