using System.Text.Json;
using System.Text.Json.Serialization;
using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Backfill;

/// <summary>What <c>run --dry-run</c> shows: per symbol the missing bars, the pages a run would request (their
/// cursors) and the time the rate limits alone need to let them through. No candle request is made to build it.</summary>
/// <param name="TotalPages">Candle requests the run would make, all symbols together.</param>
/// <param name="EstimatedSeconds">The time the exchange's per-IP windows need for <paramref name="TotalPages"/>
/// requests (network time excluded).</param>
/// <param name="RateLimits">The windows the estimate uses, as the client keeps them (safety margin applied).</param>
public sealed record BackfillPlanDocument(
    DateTimeOffset GeneratedAtUtc,
    string Bar,
    int TotalPages,
    double EstimatedSeconds,
    string RateLimits,
    IReadOnlyList<SymbolPlanDocument> Symbols)
{
    public static BackfillPlanDocument From(IReadOnlyList<BackfillPlan> plans, BlofinOptions limits, DateTimeOffset generatedAtUtc)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(limits);
        var total = plans.Sum(plan => plan.Pages.Count);
        return new BackfillPlanDocument(
            generatedAtUtc,
            plans.Count > 0 ? plans[0].Window.Bar.Name : Exchange.Bar.OneMinute.Name,
            total,
            RateLimitEstimate.Of(total, limits).TotalSeconds,
            RateLimitEstimate.Describe(limits),
            [.. plans.Select(plan => SymbolPlanDocument.From(plan, limits))]);
    }

    public string ToJson() => JsonSerializer.Serialize(this, BackfillPlanJsonContext.Default.BackfillPlanDocument);
}

/// <summary>One symbol of <see cref="BackfillPlanDocument"/>.</summary>
/// <param name="Missing">Bars to fetch (holes due their second look included).</param>
/// <param name="HoleRecheckBars">Bars of recorded holes due their one second look.</param>
/// <param name="EstimatedSeconds">The rate limits' time for this symbol's pages alone.</param>
public sealed record SymbolPlanDocument(
    string InstId,
    DateTimeOffset WindowStartUtc,
    DateTimeOffset WindowEndUtc,
    long Expected,
    long Present,
    long Missing,
    long HoleRecheckBars,
    IReadOnlyList<RangeDocument> MissingRanges,
    IReadOnlyList<PageDocument> Pages,
    double EstimatedSeconds)
{
    public static SymbolPlanDocument From(BackfillPlan plan, BlofinOptions limits)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var bar = plan.Window.Bar;
        return new SymbolPlanDocument(
            plan.Request.InstId,
            plan.Window.StartUtc,
            plan.Window.EndUtc,
            plan.Window.ExpectedCount,
            plan.PresentBefore,
            plan.MissingCount,
            plan.DueHoleCount,
            [.. plan.Missing.Select(range => RangeDocument.From(range, bar.LengthMs))],
            [.. plan.Pages.Select(page => PageDocument.From(page, bar))],
            RateLimitEstimate.Of(plan.Pages.Count, limits).TotalSeconds);
    }
}

/// <summary>One candle request of a plan: <c>after</c> (exclusive, Unix ms) and <c>limit</c>, and the bars it
/// covers when the exchange has them all.</summary>
public sealed record PageDocument(long After, int Limit, DateTimeOffset NewestUtc, DateTimeOffset OldestUtc)
{
    public static PageDocument From(PageRequest page, Bar bar)
    {
        ArgumentNullException.ThrowIfNull(page);
        var span = page.Span(bar);
        return new PageDocument(page.AfterMs, page.Limit, DateTimeOffset.FromUnixTimeMilliseconds(span.EndMs), DateTimeOffset.FromUnixTimeMilliseconds(span.StartMs));
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(BackfillPlanDocument))]
internal sealed partial class BackfillPlanJsonContext : JsonSerializerContext;
