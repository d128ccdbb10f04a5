using System.CommandLine;
using System.Globalization;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Export;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>export</c>: stored candles as Parquet, CSV or freqtrade files, saying how complete each file is.</summary>
internal static class ExportCommand
{
    public static Command Create(CommandContext context)
    {
        var format = new Option<string>("--format", "-f")
        {
            Description = $"File format: {ExportFormats.Names}.",
            DefaultValueFactory = _ => "parquet",
        };
        var symbols = new Option<string?>("--symbols", "-s")
        {
            Description = "Comma list of instrument IDs to export (default: every symbol in the database).",
        };
        var from = new Option<string?>("--from") { Description = "First open time to export, ISO 8601 UTC (2025-01-06 or 2025-01-06T12:00Z). Default: the oldest stored." };
        var to = new Option<string?>("--to") { Description = "End of the range, excluded, ISO 8601 UTC. Default: through the newest stored." };
        var bar = new Option<string>("--bar") { Description = "Bar to export.", DefaultValueFactory = _ => Bar.OneMinute.Name };
        var output = new Option<string>("--out", "-o") { Description = "Folder to write the files to (created if missing).", Required = true };
        var database = CliOptions.Database();
        var blob = CliOptions.Blob();
        blob.Description = "Read the database blob in Azure Storage (AzureWebJobsStorage): its current version, without taking its lease.";
        var command = new Command("export", "Write stored candles as Parquet, CSV or freqtrade files; reports rows, range and missing minutes.")
        {
            format, symbols, from, to, bar, output, database, blob,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            ExportRequest request;
            try
            {
                request = new ExportRequest(
                    parsed.GetValue(symbols) is { } list ? SymbolSource.ParseList(list) : [],
                    CandleExporter.ParseBar(parsed.GetValue(bar)!),
                    ExportFormats.Parse(parsed.GetValue(format)),
                    parsed.GetValue(output)!,
                    parsed.GetValue(from) is { } fromText ? ExportTimes.Parse(fromText, "--from") : null,
                    parsed.GetValue(to) is { } toText ? ExportTimes.Parse(toText, "--to") : null);

                await using var services = context.CreateServices(parsed);
                var store = await services.OpenStoreAsync(parsed.GetValue(database), parsed.GetValue(blob), mustExist: true, cancellationToken);
                var summary = await services.Get<CandleExporter>().ExportAsync(store, request, cancellationToken);
                await WriteSummaryAsync(context.Console.Output, summary);
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is InvalidExportRequestException or InvalidBackfillMessageException)
            {
                await context.Console.Error.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    private static async Task WriteSummaryAsync(TextWriter output, ExportSummary summary)
    {
        foreach (var file in summary.Files)
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{file.InstId} {file.Bar}: {file.Rows} rows{Span(file.FirstOpenTimeMs, file.LastOpenTimeMs)} -> {file.Path} ({Size(file.Bytes)}), {Completeness(file)}"));
        }

        var incomplete = summary.Files.Count(f => !f.Completeness.IsComplete);
        var bar = summary.Files.Count > 0 ? summary.Files[0].Bar : Bar.OneMinute;
        var verdict = incomplete == 0
            ? "every file is complete over its range."
            : string.Create(CultureInfo.InvariantCulture, $"{summary.MissingBars} {Units(bar)} missing and {summary.AbsentBars} absent at the exchange in {incomplete} of the files.");
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Wrote {summary.Files.Count} files, {summary.Rows} rows{Span(summary.FirstOpenTimeMs, summary.LastOpenTimeMs)}, {Size(summary.Bytes)} to {summary.OutputDirectory} in {summary.Elapsed.TotalSeconds:0.0} s; {verdict}"));
    }

    private static string Span(long? firstMs, long? lastMs) =>
        firstMs is { } first && lastMs is { } last
            ? $", {DateTimeOffset.FromUnixTimeMilliseconds(first):yyyy-MM-dd'T'HH:mm'Z'}..{DateTimeOffset.FromUnixTimeMilliseconds(last):yyyy-MM-dd'T'HH:mm'Z'}"
            : string.Empty;

    private static string Completeness(ExportedFile file)
    {
        var c = file.Completeness;
        if (c.ExpectedBars == 0)
        {
            return "no bars expected in the range";
        }

        return c.IsComplete
            ? string.Create(CultureInfo.InvariantCulture, $"complete ({c.ExpectedBars} of {c.ExpectedBars})")
            : string.Create(
                CultureInfo.InvariantCulture,
                $"INCOMPLETE: {c.MissingBars} {Units(file.Bar)} missing, {c.AbsentBars} absent at the exchange (proven holes), of {c.ExpectedBars} expected from {DateTimeOffset.FromUnixTimeMilliseconds(c.WindowStartMs!.Value):yyyy-MM-dd'T'HH:mm'Z'} to {DateTimeOffset.FromUnixTimeMilliseconds(c.WindowEndMs!.Value):yyyy-MM-dd'T'HH:mm'Z'}");
    }

    private static string Units(Bar bar) => bar == Bar.OneMinute ? "minutes" : $"{bar.Name} bars";

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MB"),
    };
}
