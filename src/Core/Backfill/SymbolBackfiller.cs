using System.Collections.Concurrent;
using System.Globalization;
using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Backfill;

/// <summary>
/// Makes one symbol complete over its window: coverage before, plan, fetch, validate, merge, coverage
/// after, and one <c>gap_fill_runs</c> row, with the fewest exchange requests.
/// </summary>
public sealed class SymbolBackfiller(
    BlofinClient client,
    InstrumentCatalog instruments,
    IOptions<BackfillOptions> options,
    TimeProvider timeProvider,
    ILogger<SymbolBackfiller> logger)
{
    /// <summary>Decides the window and the pages to fetch, reading <paramref name="store"/> only.</summary>
    /// <exception cref="BlofinUnknownInstrumentException">Blofin does not list the instrument.</exception>
    public async Task<BackfillPlan> PlanAsync(BackfillRequest request, ICandleStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(store);
        var instrument = await instruments.GetAsync(request.InstId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var window = request.HasExplicitRange
            ? CoverageWindow.Explicit(request.FromUtc!.Value.ToUnixTimeMilliseconds(), request.ToUtc!.Value.ToUnixTimeMilliseconds(), request.Bar, now, instrument.ListTimeMs)
            : CoverageWindow.ForRun(now, request.Bar, request.LookbackHours, instrument.ListTimeMs);

        var (present, sourceGaps) = await store.ReadAsync(
            async (database, ct) =>
            {
                var presentTimes = await database.GetOpenTimesAsync(request.InstId, request.Bar, window.StartMs, window.EndMs, ct);
                var gaps = await database.GetSourceGapsAsync(request.InstId, request.Bar, window.StartMs, window.EndMs, ct);
                return (presentTimes, gaps);
            },
            cancellationToken);

        // A hole due its one second look is planned as missing, so a page that is fetched anyway takes it along
        // when it reaches that far, and a page of its own is added when none does.
        var nowMs = now.ToUnixTimeMilliseconds();
        var due = sourceGaps.Where(gap => gap.IsDueForRecheck(nowMs, options.Value.HoleRecheckAfter)).ToList();
        var missing = GapFinder.FindMissing(window, present, [.. sourceGaps.Except(due).Select(gap => gap.Range)]);
        var pages = FetchPlanner.Plan(missing, request.Bar, options.Value.PageSize);
        var plan = new BackfillPlan(request, instrument, window, present, missing, pages) { KnownGaps = sourceGaps, DueHoles = due };
        Log.Planned(logger, request.InstId, request.Bar.Name, plan.MissingCount, window.ExpectedCount, missing.Count, pages.Count);
        if (due.Count > 0)
        {
            Log.RecheckPlanned(logger, request.InstId, request.Bar.Name, due.Count, plan.DueHoleCount);
        }

        return plan;
    }

    /// <summary>Plans, fetches and merges; returns the figures recorded in the run table.</summary>
    /// <exception cref="BlofinUnknownInstrumentException">Blofin does not list the instrument (never retried).</exception>
    /// <exception cref="BlofinBadParameterException">Blofin refused a parameter, such as the bar (never retried).</exception>
    public async Task<BackfillResult> RunAsync(BackfillRequest request, ICandleStore store, IProgress<PageFetched>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(store);
        var startedAt = timeProvider.GetUtcNow();
        var started = timeProvider.GetTimestamp();

        var plan = await PlanAsync(request, store, cancellationToken);
        var fetched = await FetchAsync(plan, progress, cancellationToken);

        var status = fetched.Failures == 0 ? GapFillRunStatus.Succeeded
            : fetched.Failures == plan.Pages.Count ? GapFillRunStatus.Failed
            : GapFillRunStatus.Partial;
        var window = plan.Window;
        var seenAtMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var trimBeforeMs = TrimBeforeMs(window, seenAtMs);
        TrimmedRows? trimmed = null;
        var ((merged, presentAfter), sync) = await store.WriteWithTransferAsync(
            async (database, ct) =>
            {
                await database.UpsertInstrumentAsync(plan.Instrument, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), ct);
                var merge = await database.MergeCandlesAsync(request.InstId, request.Bar, fetched.Candles, seenAtMs, ct);
                await database.AddSourceGapsAsync(request.InstId, request.Bar, fetched.SourceGaps, ct);
                await database.ApplyHoleRechecksAsync(request.InstId, request.Bar, fetched.Rechecks, ct);
                var after = await database.GetOpenTimesAsync(request.InstId, request.Bar, window.StartMs, window.EndMs, ct);
                var finishedAt = timeProvider.GetUtcNow();
                await database.RecordRunAsync(
                    new GapFillRun
                    {
                        InstId = request.InstId,
                        Bar = request.Bar,
                        Trigger = request.Trigger,
                        WindowStartMs = window.StartMs,
                        WindowEndMs = window.EndMs,
                        ExpectedCount = window.ExpectedCount,
                        PresentBefore = plan.PresentBefore,
                        PresentAfter = after.Count,
                        Requests = plan.Pages.Count,
                        Inserted = merge.Inserted,
                        Revised = merge.Revisions.Count,
                        SourceGapsFound = (int)fetched.SourceGapMinutes,
                        Status = status,
                        Error = fetched.FirstError,
                        StartedAtMs = startedAt.ToUnixTimeMilliseconds(),
                        FinishedAtMs = finishedAt.ToUnixTimeMilliseconds(),
                    },
                    ct);

                // Trimming is part of the merge (after the run row, so that row keeps the newest id).
                trimmed = trimBeforeMs is { } before ? await database.TrimBeforeAsync(request.InstId, request.Bar, before, ct) : null;
                return (Merged: merge, PresentAfter: (long)after.Count);
            },
            cancellationToken);

        foreach (var revision in merged.Revisions)
        {
            Log.CandleRevised(logger, request.InstId, request.Bar.Name, DateTimeOffset.FromUnixTimeMilliseconds(revision.OpenTimeMs), string.Join(',', revision.ChangedFields), Describe(revision));
        }

        foreach (var recheck in fetched.Rechecks.Where(r => r.IsResolved))
        {
            Log.HoleRechecked(
                logger, request.InstId, request.Bar.Name, recheck.Hole.Range.ToString(),
                recheck.Filled.Sum(r => r.Count(request.Bar)), recheck.Final.Sum(r => r.Count(request.Bar)), recheck.RequestAfterMs);
        }

        if (trimmed is { Total: > 0 })
        {
            Log.Trimmed(logger, request.InstId, request.Bar.Name, DateTimeOffset.FromUnixTimeMilliseconds(trimBeforeMs!.Value), trimmed.Candles, trimmed.SourceGaps, trimmed.Revisions, trimmed.Runs);
        }

        var elapsed = timeProvider.GetElapsedTime(started);
        var result = new BackfillResult(
            request.InstId, request.Bar.Name, window, window.ExpectedCount, plan.PresentBefore, presentAfter,
            plan.Pages.Count, merged.Inserted, fetched.SourceGapMinutes, status, fetched.FirstError, elapsed)
        {
            Revised = merged.Revisions.Count,
            HoleBarsFilled = fetched.Rechecks.Sum(r => r.Filled.Sum(range => range.Count(request.Bar))),
            HoleBarsFinal = fetched.Rechecks.Sum(r => r.Final.Sum(range => range.Count(request.Bar))),
            Sync = sync,
            Trimmed = trimmed?.Candles ?? 0,
        };
        Log.Backfilled(logger, result.InstId, result.Bar, result.Status, result.PresentBefore, result.Expected, result.PresentAfter, result.Requests, result.Inserted, result.SourceGapMinutes, (long)elapsed.TotalMilliseconds);
        return result;
    }

    /// <summary>Where <see cref="BackfillOptions.RetentionDays"/> cuts the history, never inside the run's own
    /// window; null when everything is kept.</summary>
    private long? TrimBeforeMs(CoverageWindow window, long nowMs) => options.Value.RetentionDays is { } days
        ? Math.Min(nowMs - (long)TimeSpan.FromDays(days).TotalMilliseconds, window.StartMs)
        : null;

    private async Task<FetchOutcome> FetchAsync(BackfillPlan plan, IProgress<PageFetched>? progress, CancellationToken cancellationToken)
    {
        var request = plan.Request;
        var candles = new ConcurrentBag<Candle>();
        var unconfirmed = new ConcurrentBag<long>();
        var shown = new ConcurrentBag<(PageRequest Page, TimeRange Shown)>();
        var gaps = new ConcurrentBag<SourceGap>();
        var errors = new ConcurrentQueue<(int Page, Exception Error)>();
        var settle = TimeSpan.FromMinutes(options.Value.SettleMinutes);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentPages, CancellationToken = abort.Token };
        var numbered = plan.Pages.Select((page, index) => (Page: page, Number: index + 1));
        var knownRanges = plan.KnownGaps.Select(gap => gap.Range).ToList();

        try
        {
            await Parallel.ForEachAsync(numbered, parallel, async (item, ct) =>
            {
                IReadOnlyList<Candle> rows;
                try
                {
                    rows = await client.GetCandlesAsync(new CandleQuery(request.InstId, request.Bar, AfterMs: item.Page.AfterMs, Limit: item.Page.Limit), ct);
                }
                catch (BlofinException ex) when (!ex.IsTransient)
                {
                    // Nothing later pages could change: stop the others and let the caller poison the message.
                    await abort.CancelAsync();
                    throw;
                }
                catch (BlofinException ex)
                {
                    // Transient (rate limit, ban, server error, malformed body, unreachable) after the client's
                    // own retries: keep the other pages; the message is retried for what is still missing.
                    errors.Enqueue((item.Number, ex));
                    Log.PageFailed(logger, ex, item.Number, plan.Pages.Count, request.InstId, item.Page.AfterMs);
                    return;
                }

                shown.Add((item.Page, HoleRecheck.Shown(item.Page, request.Bar, rows)));
                foreach (var row in rows.Where(row => !row.IsConfirmed))
                {
                    unconfirmed.Add(row.OpenTimeMs);
                }

                var confirmed = rows.Where(row => row.IsConfirmed).ToList();
                var newRows = 0;
                foreach (var row in confirmed)
                {
                    candles.Add(row);
                    if (row.OpenTimeMs >= plan.Window.StartMs && row.OpenTimeMs <= plan.Window.EndMs && !plan.IsStored(row.OpenTimeMs))
                    {
                        newRows++;
                    }
                }

                // What is recorded already (due holes included: their second look is settled below) is not recorded again.
                var proven = HoleDetector.Detect(request.Bar, item.Page, rows, plan.IsStored(item.Page.AfterMs), timeProvider.GetUtcNow(), settle);
                foreach (var gap in proven.SelectMany(gap => HoleRecheck.WithoutKnown(gap, knownRanges, request.Bar)))
                {
                    gaps.Add(gap);
                }

                var oldest = confirmed.Count == 0 ? (long?)null : confirmed[^1].OpenTimeMs;
                var newest = confirmed.Count == 0 ? (long?)null : confirmed[0].OpenTimeMs;
                Log.PageFetched(logger, item.Number, plan.Pages.Count, request.InstId, confirmed.Count, ToUtc(oldest), ToUtc(newest), newRows);
                progress?.Report(new PageFetched(request.InstId, item.Number, plan.Pages.Count, item.Page.AfterMs, confirmed.Count, oldest, newest, newRows));
            });
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Cancelled by a non-transient failure above; Parallel.ForEachAsync surfaces that exception itself.
            throw;
        }

        var ordered = errors.OrderBy(e => e.Page).ToList();
        var firstError = ordered.Count == 0 ? null : $"{ordered.Count} of {plan.Pages.Count} pages failed; first: {ordered[0].Error.Message}";
        var window = plan.Window;
        var gapMinutes = gaps.Sum(gap => Clip(gap.Range, window).Count(request.Bar));
        var pagesShown = shown.ToList();
        var confirmedTimes = candles.Select(candle => candle.OpenTimeMs).ToHashSet();
        var unconfirmedTimes = unconfirmed.ToHashSet();
        var nowMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var rechecks = plan.DueHoles
            .Select(hole => HoleRecheck.Resolve(hole, request.Bar, pagesShown, confirmedTimes, unconfirmedTimes, nowMs))
            .ToList();
        return new FetchOutcome([.. candles], [.. gaps], gapMinutes, ordered.Count, firstError, rechecks);
    }

    private static string Describe(CandleRevision revision) => string.Join(
        ", ",
        revision.ChangedFields.Select(field => string.Create(
            CultureInfo.InvariantCulture,
            $"{field} {revision.Replaced.Field(field)} -> {revision.Replacement?.Field(field)}")));

    private static DateTimeOffset? ToUtc(long? openTimeMs) =>
        openTimeMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    // TimeRange.Count is 0 for an inverted range, so a gap outside the window counts nothing.
    private static TimeRange Clip(TimeRange range, CoverageWindow window) =>
        new(Math.Max(range.StartMs, window.StartMs), Math.Min(range.EndMs, window.EndMs));

    private sealed record FetchOutcome(
        IReadOnlyList<Candle> Candles,
        IReadOnlyList<SourceGap> SourceGaps,
        long SourceGapMinutes,
        int Failures,
        string? FirstError,
        IReadOnlyList<HoleRecheckOutcome> Rechecks);
}
