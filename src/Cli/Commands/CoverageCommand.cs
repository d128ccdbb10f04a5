using System.CommandLine;
using System.Globalization;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Coverage;
using Spectre.Console;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>coverage</c>: how complete each symbol is, where it is not and why; optionally as a heatmap.</summary>
internal static class CoverageCommand
{
    public static Command Create(CommandContext context)
    {
        var symbols = CommandContext.SymbolsOption();
        symbols.Description = "Comma list of instrument IDs to report (default: every symbol in the database).";
        var database = CommandContext.DatabaseOption();
        var blob = CommandContext.BlobOption();
        var lookback = CommandContext.LookbackHoursOption();
        var bar = CommandContext.BarOption();
        var json = CommandContext.JsonOption();
        var svg = new Option<FileInfo?>("--svg") { Description = "Also write the coverage heatmap (one row per symbol, one cell per hour) to this SVG file." };
        var failUnder = CoverageThresholdOption.Create();
        var command = new Command("coverage", "Report coverage per symbol: present/expected, missing ranges, minutes absent at the exchange, last run.")
        {
            symbols, database, blob, lookback, bar, json, svg, failUnder,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            // --symbols here filters the report; it must not become Backfill:Symbols ('live' means nothing here).
            var list = parsed.GetValue(symbols) is { } text ? SymbolSource.ParseList(text) : null;
            await using var services = context.CreateServices(parsed, verbose: false, ignore: [symbols]);
            var store = CommandContext.OpenStore(parsed, services, database, blob, mustExist: true);
            var reporter = services.Get<CoverageReporter>();
            var report = CoverageThresholdOption.Apply(await reporter.GetReportAsync(store, list, cancellationToken), parsed.GetValue(failUnder));

            if (parsed.GetValue(svg) is { } svgFile)
            {
                var heatmap = await reporter.GetHeatmapAsync(store, list, cancellationToken);
                await WriteSvgAsync(heatmap, svgFile, cancellationToken);
                await context.Console.Error.WriteLineAsync($"Wrote the heatmap of {heatmap.Rows.Count} symbols x {heatmap.HourCount} hours to {svgFile.FullName}");
            }

            if (parsed.GetValue(json))
            {
                await context.Console.Output.WriteLineAsync(CoverageDocument.From(report).ToJson());
            }
            else if (context.Console.IsTerminal)
            {
                WriteTable(context.Console, report, store.Description);
            }
            else
            {
                WritePlain(context.Console.Output, report);
            }

            return await CoverageThresholdOption.VerdictAsync(context.Console.Error, report, parsed.GetValue(failUnder));
        });
        return command;
    }

    private static async Task WriteSvgAsync(HeatmapData heatmap, FileInfo file, CancellationToken cancellationToken)
    {
        file.Directory?.Create();

        // Written beside the target and moved into place, so a failure never leaves half a picture.
        var temporary = file.FullName + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await CoverageHeatmap.WriteSvgAsync(heatmap, stream, cancellationToken);
        }

        File.Move(temporary, file.FullName, overwrite: true);
    }

    private static void WriteTable(CliConsole console, CoverageReport report, string database)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Coverage of {report.Bar} candles over {report.LookbackHours} h in {Markup.Escape(database)}");
        table.AddColumns("Symbol", "Present / expected", "Coverage", "Absent at exchange", "Missing (ranges)", "Largest gap", "Last run");
        foreach (var column in table.Columns.Skip(1).Take(4))
        {
            column.RightAligned();
        }

        foreach (var symbol in CoverageDocument.From(report).Symbols)
        {
            var percent = Percent(symbol.Percent);
            table.AddRow(
                Markup.Escape(symbol.InstId),
                $"{symbol.Present:N0} / {symbol.Expected:N0}",
                symbol.Missing == 0 ? $"[green]{percent}[/]" : $"[yellow]{percent}[/]",
                symbol.AbsentAtExchange.ToString("N0", CultureInfo.InvariantCulture),
                $"{symbol.Missing:N0} ({symbol.MissingRanges})",
                Markup.Escape(Largest(symbol.LargestMissingRange)),
                Markup.Escape(LastRun(symbol.LastRun)));
        }

        console.Rich.Write(table);
    }

    private static void WritePlain(TextWriter output, CoverageReport report)
    {
        foreach (var s in CoverageDocument.From(report).Symbols)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{s.InstId}: {s.Present}/{s.Expected} present ({Percent(s.Percent)}), {s.AbsentAtExchange} absent at exchange, {s.Missing} missing in {s.MissingRanges} ranges, largest {Largest(s.LargestMissingRange)}, last run {LastRun(s.LastRun)}"));
        }
    }

    private static string Percent(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Largest(RangeDocument? range) => range is null
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{range.Bars} bars from {range.FromUtc:yyyy-MM-dd HH:mm}");

    private static string LastRun(LastRunDocument? run) => run is null
        ? "never"
        : string.Create(CultureInfo.InvariantCulture, $"{run.Status} at {run.FinishedAtUtc:yyyy-MM-dd HH:mm}Z ({run.Trigger}, {run.Requests} requests)");
}
