using Blofin.Backfill.Storage;
using System.Globalization;
using System.Text.Json;
using Blofin.Backfill.Backfill;
using Spectre.Console;

namespace Blofin.Backfill.Cli.Output;

/// <summary>Shows a run: live progress bars on a terminal, one plain line per page otherwise, then a
/// table per symbol, or a single JSON document with <c>--json</c>.</summary>
internal sealed class RunReporter(CliConsole console, bool json)
{
    private readonly Lock _gate = new();

    public async Task<IReadOnlyList<SymbolOutcome>> TrackAsync(
        IReadOnlyList<BackfillRequest> requests,
        Func<BackfillRequest, IProgress<PageFetched>, CancellationToken, Task<BackfillResult>> run,
        CancellationToken cancellationToken)
    {
        if (json || !console.IsTerminal)
        {
            var plain = requests.Select(request => RunOneAsync(request, run, json ? new SynchronousProgress<PageFetched>(_ => { }) : new SynchronousProgress<PageFetched>(WritePage), cancellationToken));
            return await Task.WhenAll(plain);
        }

        SymbolOutcome[] outcomes = [];
        await console.Rich.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progressContext =>
            {
                var tasks = requests.Select(request =>
                {
                    var bar = progressContext.AddTask(Markup.Escape(request.InstId), maxValue: 1);
                    var progress = new SynchronousProgress<PageFetched>(page =>
                    {
                        bar.MaxValue = Math.Max(1, page.PageCount);
                        bar.Increment(1);
                    });
                    return RunOneAsync(request, run, progress, cancellationToken).ContinueWith(
                        t =>
                        {
                            bar.Value = bar.MaxValue;
                            bar.StopTask();
                            return t;
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default).Unwrap();
                });
                outcomes = await Task.WhenAll(tasks);
            });
        return outcomes;
    }

    public void WriteSummary(IReadOnlyList<SymbolOutcome> outcomes, TimeSpan wall, string database)
    {
        if (json)
        {
            var document = RunDocument.From(outcomes, wall, database);
            console.Output.WriteLine(JsonSerializer.Serialize(document, CliJsonContext.Default.RunDocument));
            return;
        }

        if (console.IsTerminal)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"Backfill into {Markup.Escape(database)}");
            table.AddColumns("Symbol", "Coverage before", "after", "Requests", "Inserted", "Absent at exchange", "Time", "Status");
            foreach (var column in table.Columns.Skip(1).Take(6))
            {
                column.RightAligned();
            }

            foreach (var outcome in outcomes)
            {
                var r = outcome.Result;
                table.AddRow(
                    Markup.Escape(outcome.Request.InstId),
                    r is null ? "-" : Percent(r.PercentBefore),
                    r is null ? "-" : Percent(r.PercentAfter),
                    r?.Requests.ToString(CultureInfo.InvariantCulture) ?? "-",
                    r?.Inserted.ToString(CultureInfo.InvariantCulture) ?? "-",
                    r?.SourceGapMinutes.ToString(CultureInfo.InvariantCulture) ?? "-",
                    r is null ? "-" : Seconds(r.Elapsed),
                    StatusMarkup(outcome));
            }

            console.Rich.Write(table);
            console.Rich.MarkupLine(Markup.Escape(Totals(outcomes, wall)));
            foreach (var outcome in outcomes.Where(o => Error(o) is not null))
            {
                console.Rich.MarkupLine($"[red]{Markup.Escape(outcome.Request.InstId)}[/]: {Markup.Escape(Error(outcome)!)}");
            }

            return;
        }

        foreach (var outcome in outcomes)
        {
            var r = outcome.Result;
            console.Output.WriteLine(r is null
                ? $"{outcome.Request.InstId}: failed: {outcome.Error}"
                : string.Create(CultureInfo.InvariantCulture, $"{r.InstId}: {r.Status.ToString().ToLowerInvariant()}, coverage {Percent(r.PercentBefore)} -> {Percent(r.PercentAfter)} ({r.PresentAfter}/{r.Expected}), {r.Requests} requests, {r.Inserted} inserted, {r.SourceGapMinutes} absent at exchange, {Seconds(r.Elapsed)}{(r.Error is null ? string.Empty : "; " + r.Error)}"));
        }

        console.Output.WriteLine(Totals(outcomes, wall));
    }

    private static async Task<SymbolOutcome> RunOneAsync(
        BackfillRequest request,
        Func<BackfillRequest, IProgress<PageFetched>, CancellationToken, Task<BackfillResult>> run,
        IProgress<PageFetched> progress,
        CancellationToken cancellationToken)
    {
        try
        {
            return new SymbolOutcome(request, await run(request, progress, cancellationToken), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new SymbolOutcome(request, null, ex.Message);
        }
    }

    private void WritePage(PageFetched page)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{page.InstId} page {page.PageNumber}/{page.PageCount}: fetched {page.Rows} candles ({Time(page.OldestOpenTimeMs)} to {Time(page.NewestOpenTimeMs)}), {page.NewRows} new");
        lock (_gate)
        {
            console.Output.WriteLine(line);
        }
    }

    private static string Totals(IReadOnlyList<SymbolOutcome> outcomes, TimeSpan wall)
    {
        var results = outcomes.Where(o => o.Result is not null).Select(o => o.Result!).ToList();
        var failed = outcomes.Count(o => o.Result?.Status != GapFillRunStatus.Succeeded);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{outcomes.Count} symbols, {results.Sum(r => r.Requests)} requests, {results.Sum(r => r.Inserted)} rows inserted, {failed} incomplete, {Seconds(wall)}");
    }

    private static string? Error(SymbolOutcome outcome) => outcome.Error ?? outcome.Result?.Error;

    private static string StatusMarkup(SymbolOutcome outcome) => outcome.Result?.Status switch
    {
        GapFillRunStatus.Succeeded => "[green]ok[/]",
        GapFillRunStatus.Partial => "[yellow]partial[/]",
        _ => "[red]failed[/]",
    };

    private static string Percent(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private static string Time(long? openTimeMs) => openTimeMs is { } ms
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        : "-";
}
