using System.CommandLine;
using System.Globalization;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Coverage;
using Blofin.Backfill.Cli.Output;
using Spectre.Console;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>coverage</c>: how complete each symbol is, where it is not and why; optionally as a heatmap.</summary>
internal static class CoverageCommand
{
    public static Command Create(CommandContext context)
    {
        // A filter on the report, not the Backfill:Symbols setting ('live' means nothing here).
        var symbols = new Option<string?>("--symbols")
        {
            Description = "Comma list of instrument IDs to report (default: every symbol in the database).",
            HelpName = "list",
        };
        var database = CliOptions.Database();
        var blob = CliOptions.Blob();
        var lookback = CliOptions.LookbackHours();
        var bar = CliOptions.Bar();
        var json = CliOptions.Json();
        var failUnder = CoverageThresholdOption.Create();
        var svg = new Option<FileInfo?>("--svg")
        {
            Description = "Also write the coverage heatmap (one row per symbol, one cell per hour) to this SVG file.",
            HelpName = "file",
        };
        var command = new Command("coverage", "Report coverage per symbol: present/expected, missing ranges, minutes absent at the exchange, last run.")
        {
            symbols, database, blob, lookback, bar, json, svg, failUnder,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var list = parsed.GetValue(symbols) is { } text ? ParseSymbols(text) : null;
            await using var services = context.CreateServices(parsed);
            var store = await services.OpenStoreAsync(parsed.GetValue(database), parsed.GetValue(blob), mustExist: true, cancellationToken);
            var reporter = services.Get<CoverageReporter>();
            var report = CoverageThresholdOption.Apply(await reporter.GetReportAsync(store, list, cancellationToken), parsed.GetValue(failUnder));

            if (parsed.GetValue(svg) is { } svgFile)
            {
                var heatmap = await reporter.GetHeatmapAsync(store, list, cancellationToken);
                await WriteSvgAsync(heatmap, svgFile, cancellationToken);
                context.Console.WriteErrorLine($"Wrote the heatmap of {heatmap.Rows.Count} symbols x {heatmap.HourCount} hours to {svgFile.FullName}");
            }

            var document = CoverageDocument.From(report);
            if (parsed.GetValue(json))
            {
                await context.Console.Output.WriteLineAsync(document.ToJson());
            }
            else if (context.Console.IsTerminal)
            {
                WriteTable(context.Console.Rich, document, store.Description);
            }
            else
            {
                WritePlain(context.Console.Output, document);
            }

            return await CoverageThresholdOption.VerdictAsync(context.Console.Error, report, parsed.GetValue(failUnder));
        });
        return command;
    }

    private static IReadOnlyList<string> ParseSymbols(string text)
    {
        try
        {
            return SymbolSource.ParseList(text);
        }
        catch (InvalidBackfillMessageException ex)
        {
            throw new CliUsageException($"--symbols: {ex.Message}");
        }
    }

    private static async Task WriteSvgAsync(HeatmapData heatmap, FileInfo file, CancellationToken cancellationToken)
    {
        file.Directory?.Create();

        // Written beside the target and moved into place, so a failure never leaves half a picture.
        var temporary = file.FullName + ".tmp";
        try
        {
            await using (var stream = File.Create(temporary))
            {
                await CoverageHeatmap.WriteSvgAsync(heatmap, stream, cancellationToken);
            }

            File.Move(temporary, file.FullName, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // Fits an 80-column terminal: the wide details (the largest gap of each incomplete symbol) follow the table.
    private static void WriteTable(IAnsiConsole console, CoverageDocument document, string database)
    {
        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title($"[bold]Coverage of {document.Bar} candles over {document.LookbackHours} h[/]")
            .Caption(Markup.Escape($"{database}, window to {Figures.Minute(document.GeneratedAtUtc)}"));
        table.AddColumn("Symbol");
        table.AddColumn(new TableColumn("Coverage").RightAligned());
        table.AddColumn(new TableColumn("Present").RightAligned());
        table.AddColumn(new TableColumn("Missing").RightAligned());
        table.AddColumn(new TableColumn("Gaps").RightAligned());
        table.AddColumn(new TableColumn("Absent").RightAligned());
        table.AddColumn("Last run");

        foreach (var s in document.Symbols)
        {
            var percent = Figures.Percent(s.Percent);
            table.AddRow(
                Markup.Escape(s.InstId),
                s.Missing == 0 ? $"[green]{percent}[/]" : $"[yellow]{percent}[/]",
                Figures.Count(s.Present),
                s.Missing == 0 ? "[grey]0[/]" : Figures.Count(s.Missing),
                s.MissingRanges == 0 ? "[grey]0[/]" : Figures.Count(s.MissingRanges),
                s.AbsentAtExchange == 0 ? "[grey]0[/]" : Figures.Count(s.AbsentAtExchange),
                LastRunMarkup(s.LastRun));
        }

        console.Write(table);
        if (document.Symbols.Any(s => s.AbsentAtExchange > 0))
        {
            console.MarkupLine("[grey]Absent: bars the exchange proved it does not have; they count as done and are not asked for again.[/]");
        }

        var incomplete = document.Symbols.Where(s => s.LargestMissingRange is not null).ToList();
        if (incomplete.Count > 0)
        {
            var width = incomplete.Max(s => s.InstId.Length);
            console.MarkupLine("Largest gap per incomplete symbol:");
            foreach (var s in incomplete)
            {
                var range = s.LargestMissingRange!;
                console.MarkupLine(Markup.Escape(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {s.InstId.PadRight(width)}  {Figures.Count(range.Bars)} bars, {Figures.Minute(range.FromUtc)} to {Figures.Minute(range.ToUtc)}")));
            }
        }
    }

    private static void WritePlain(TextWriter output, CoverageDocument document)
    {
        foreach (var s in document.Symbols)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{s.InstId}: {s.Present}/{s.Expected} present ({Figures.Percent(s.Percent)}), {s.Missing} missing in {s.MissingRanges} ranges, largest {Largest(s.LargestMissingRange)}, {s.AbsentAtExchange} absent at exchange, last run {LastRun(s.LastRun)}"));
        }
    }

    private static string Largest(RangeDocument? range) => range is null
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{range.Bars} bars from {Figures.Minute(range.FromUtc)}");

    private static string LastRun(LastRunDocument? run) => run is null
        ? "never"
        : string.Create(CultureInfo.InvariantCulture, $"{run.Status} at {Figures.Minute(run.FinishedAtUtc)} ({run.Trigger}, {Figures.Plural(run.Requests, "request")})");

    private static string LastRunMarkup(LastRunDocument? run) => run is null
        ? "[grey]never[/]"
        : string.Create(CultureInfo.InvariantCulture, $"{StatusMarkup(run.Status)} {run.FinishedAtUtc.UtcDateTime:MM-dd HH:mm}");

    private static string StatusMarkup(string status) => status switch
    {
        "succeeded" => "[green]ok[/]",
        "partial" => "[yellow]partial[/]",
        _ => $"[red]{Markup.Escape(status)}[/]",
    };
}
