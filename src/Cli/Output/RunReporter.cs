using System.Globalization;
using System.Text.Json;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Storage;
using Spectre.Console;

namespace Blofin.Backfill.Cli.Output;

/// <summary>Runs the symbols, a few at once, and shows it: live progress bars on a terminal, one plain line per page
/// when redirected, nothing with <c>--json</c>; then a table per symbol, plain lines, or a single JSON document.</summary>
/// <param name="parallel">Symbols run at once. The rate gate paces what is sent, not what is in flight: unbounded,
/// 32 symbols would have 256 pages waiting on the exchange (and on this process's parsing) at once, long enough for
/// attempts to time out and be sent again.</param>
/// <param name="verbose">The log shows every page; on a terminal it replaces the live display, which its lines would tear.</param>
internal sealed class RunReporter(CliConsole console, bool json, int parallel, bool verbose)
{
    private readonly Lock _outputGate = new();

    /// <summary>Runs every request, at most <c>parallel</c> at once, and returns one outcome per request in the
    /// requests' order; a symbol's failure does not stop the others.</summary>
    public async Task<IReadOnlyList<SymbolOutcome>> RunAllAsync(
        IReadOnlyList<BackfillRequest> requests,
        Func<BackfillRequest, IProgress<PageFetched>?, CancellationToken, Task<BackfillResult>> run,
        CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(parallel);
        async Task<SymbolOutcome> InSlotAsync(Func<Task<SymbolOutcome>> body)
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return await body();
            }
            finally
            {
                slots.Release();
            }
        }

        if (json || !console.IsTerminal || verbose)
        {
            var pageLines = json || console.IsTerminal ? null : new SynchronousProgress<PageFetched>(WritePageLine);
            return await Task.WhenAll(requests.Select(request => InSlotAsync(() => RunOneAsync(request, run, pageLines, cancellationToken))));
        }

        IReadOnlyList<SymbolOutcome> outcomes = [];
        using var held = console.HoldErrorLines();
        await console.Rich.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async progressContext =>
            {
                // One bar for the whole run on top, and one per running symbol below it (a finished one makes room
                // for the next), so the display stays parallel + 1 lines high however many symbols there are.
                var overall = new OverallBar(progressContext.AddTask("symbols", maxValue: requests.Count), requests.Count);
                var width = requests.Max(r => r.InstId.Length);
                outcomes = await Task.WhenAll(requests.Select(request => InSlotAsync(async () =>
                {
                    overall.Started();
                    var bar = progressContext.AddTask(Describe(request.InstId, width, "planning"));
                    var outcome = await RunWithBarAsync(bar, request, width, run, cancellationToken);
                    overall.Finished(outcome.Result?.Status == GapFillRunStatus.Succeeded);
                    return outcome;
                })));
            });
        return outcomes;
    }

    public void WriteSummary(IReadOnlyList<SymbolOutcome> outcomes, TimeSpan wall, string database)
    {
        if (json)
        {
            var document = RunDocument.From(outcomes, wall, database);
            console.Output.WriteLine(JsonSerializer.Serialize(document, CliJsonContext.Default.RunDocument));
        }
        else if (console.IsTerminal)
        {
            WriteTable(outcomes, wall, database);
        }
        else
        {
            WritePlain(outcomes, wall, database);
        }
    }

    private static async Task<SymbolOutcome> RunWithBarAsync(
        ProgressTask bar,
        BackfillRequest request,
        int width,
        Func<BackfillRequest, IProgress<PageFetched>?, CancellationToken, Task<BackfillResult>> run,
        CancellationToken cancellationToken)
    {
        // Until its first page arrives a symbol's page count is unknown (it is planned inside the backfill).
        bar.IsIndeterminate = true;
        var done = 0;
        var progress = new SynchronousProgress<PageFetched>(page =>
        {
            // Pages arrive on several threads at once: Increment adds under the bar's lock, where setting Value from a
            // count taken a moment earlier could move the bar backwards.
            var pages = Interlocked.Increment(ref done);
            bar.IsIndeterminate = false;

            // The merge is the last step: a bar full after the last page would count as finished and be hidden.
            bar.MaxValue = page.PageCount + 1;
            bar.Increment(1);
            bar.Description = Describe(page.InstId, width, pages < page.PageCount ? $"{pages}/{page.PageCount} pages" : $"{pages} pages, merging");
        });

        var outcome = await RunOneAsync(request, run, progress, cancellationToken);
        bar.IsIndeterminate = false;
        bar.Value = bar.MaxValue;
        bar.StopTask();
        return outcome;
    }

    private static async Task<SymbolOutcome> RunOneAsync(
        BackfillRequest request,
        Func<BackfillRequest, IProgress<PageFetched>?, CancellationToken, Task<BackfillResult>> run,
        IProgress<PageFetched>? progress,
        CancellationToken cancellationToken)
    {
        try
        {
            return new SymbolOutcome(request, await run(request, progress, cancellationToken), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // One symbol's failure (the exchange, the lease) is that symbol's row in the summary, not the end of the run.
            return new SymbolOutcome(request, null, CliFailure.FirstLine(ex.Message));
        }
    }

    // The old script's "Batch N: fetched 300 candles (t1 to t2), inserted k", one line per page as it arrives.
    private void WritePageLine(PageFetched page)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{page.InstId} page {page.PageNumber}/{page.PageCount}: fetched {page.Rows} candles ({Figures.Minute(page.OldestOpenTimeMs)} to {Figures.Minute(page.NewestOpenTimeMs)}), {page.NewRows} new");
        lock (_outputGate)
        {
            console.Output.WriteLine(line);
        }
    }

    // Fits an 80-column terminal; the status shows in the colour of the coverage after, errors follow the table.
    private void WriteTable(IReadOnlyList<SymbolOutcome> outcomes, TimeSpan wall, string database)
    {
        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title($"[bold]Backfill into[/] {Markup.Escape(database)}")
            .Caption(Markup.Escape(Totals(outcomes, wall)));
        table.AddColumn("Symbol");
        table.AddColumn(new TableColumn("Before").RightAligned());
        table.AddColumn(new TableColumn("After").RightAligned());
        table.AddColumn(new TableColumn("Requests").RightAligned());
        table.AddColumn(new TableColumn("Inserted").RightAligned());
        table.AddColumn(new TableColumn("Absent").RightAligned());
        table.AddColumn(new TableColumn("Time").RightAligned());

        foreach (var outcome in outcomes)
        {
            var r = outcome.Result;
            table.AddRow(r is null
                ? [Markup.Escape(outcome.Request.InstId), "-", "[red]failed[/]", "-", "-", "-", "-"]
                : [
                    Markup.Escape(r.InstId),
                    Figures.Percent(r.PercentBefore),
                    r.Status switch
                    {
                        GapFillRunStatus.Succeeded => $"[green]{Figures.Percent(r.PercentAfter)}[/]",
                        GapFillRunStatus.Partial => $"[yellow]{Figures.Percent(r.PercentAfter)}[/]",
                        _ => $"[red]{Figures.Percent(r.PercentAfter)}[/]",
                    },
                    Figures.Count(r.Requests),
                    Figures.Count(r.Inserted),
                    r.SourceGapMinutes == 0 ? "[grey]0[/]" : Figures.Count(r.SourceGapMinutes),
                    Figures.Seconds(r.Elapsed),
                ]);
        }

        console.Rich.Write(table);
        foreach (var outcome in outcomes.Where(o => Error(o) is not null))
        {
            console.Rich.MarkupLine($"[red]{Markup.Escape(outcome.Request.InstId)}[/]: {Markup.Escape(Error(outcome)!)}");
        }
    }

    private void WritePlain(IReadOnlyList<SymbolOutcome> outcomes, TimeSpan wall, string database)
    {
        foreach (var outcome in outcomes)
        {
            var r = outcome.Result;
            console.Output.WriteLine(r is null
                ? $"{outcome.Request.InstId}: failed: {outcome.Error}"
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"{r.InstId}: {Status(r.Status)}, coverage {Figures.Percent(r.PercentBefore)} -> {Figures.Percent(r.PercentAfter)} ({r.PresentAfter}/{r.Expected}), {Figures.Plural(r.Requests, "request")}, {r.Inserted} inserted, {r.SourceGapMinutes} absent at exchange, {Figures.Seconds(r.Elapsed)}{(r.Error is null ? string.Empty : "; " + r.Error)}"));
        }

        console.Output.WriteLine($"{Totals(outcomes, wall)}, into {database}");
    }

    private static string Totals(IReadOnlyList<SymbolOutcome> outcomes, TimeSpan wall)
    {
        var results = outcomes.Where(o => o.Result is not null).Select(o => o.Result!).ToList();
        var incomplete = outcomes.Count(o => o.Result?.Status != GapFillRunStatus.Succeeded);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Figures.Plural(outcomes.Count, "symbol")}, {Figures.Plural(results.Sum(r => r.Requests), "request")}, {results.Sum(r => r.Inserted)} rows inserted, {incomplete} incomplete, {Figures.Seconds(wall)}");
    }

    private static string Describe(string instId, int width, string state) => $"{Markup.Escape(instId.PadRight(width))}  {state}";

    private static string? Error(SymbolOutcome outcome) => outcome.Error ?? outcome.Result?.Error;

    private static string Status(GapFillRunStatus status) => status.ToString().ToLowerInvariant();

}
