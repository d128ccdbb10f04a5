using System.Globalization;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Export;

/// <summary>Writes stored candles as Parquet, CSV or freqtrade files, streaming from one forward-only cursor per
/// symbol, and says how complete each file is (bars missing, bars proved absent at the exchange).</summary>
/// <remarks>Files are written under temporary names beside their targets and moved into place only when every file
/// of the export is done: a failure leaves nothing half-written behind. The store is read at its current version
/// (<see cref="ICandleStore.ReadCurrentAsync"/>): for the blob, without its lease.</remarks>
public sealed class CandleExporter(TimeProvider timeProvider, ILogger<CandleExporter> logger)
{
    /// <summary>Exports <paramref name="request"/>'s symbols from <paramref name="store"/> into its folder, one file
    /// per symbol, replacing files of the same name.</summary>
    /// <exception cref="UnknownExportSymbolException">A symbol has no candles of the bar in the database.</exception>
    /// <exception cref="InvalidExportRequestException">The range is reversed or empty, the bar has no fixed length,
    /// or the folder cannot be created or written.</exception>
    public async Task<ExportSummary> ExportAsync(ICandleStore store, ExportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var started = timeProvider.GetTimestamp();
        RequireFixedLength(request.Bar);
        if (request is { FromUtc: { } from, ToUtc: { } to })
        {
            RequireRange(from, to, "--from", "--to");
        }

        IReadOnlyList<string> requested = [.. request.Symbols.Select(ExportQuery.ParseSymbol).Distinct(StringComparer.Ordinal)];
        var output = new OutputFolder(request.OutputDirectory);
        try
        {
            var files = await store.ReadCurrentAsync(
                async (database, token) =>
                {
                    var symbols = await ResolveSymbolsAsync(database, requested, request.Bar, store.Description, token);
                    var written = new List<ExportedFile>(symbols.Count);
                    foreach (var instId in symbols)
                    {
                        var target = output.Stage(ExportFormats.RelativePath(request.Format, instId, request.Bar));
                        await using (var stream = new FileStream(target.TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                        {
                            var file = await WriteAsync(database, instId, request.Bar, request.Format, request.FromUtc, request.ToUtc, stream, token);
                            written.Add(file with { Path = target.FinalPath });
                        }
                    }

                    return written;
                },
                cancellationToken);

            output.Commit();
            var summary = new ExportSummary(output.FullPath, files, timeProvider.GetElapsedTime(started));
            Log.ExportFinished(logger, files.Count, summary.Rows, summary.Bytes, output.FullPath, summary.Elapsed);
            return summary;
        }
        catch (Exception ex)
        {
            output.Abandon();

            // A request that cannot be served is the caller's to report; anything else is worth a warning here.
            if (ex is not InvalidExportRequestException and not OperationCanceledException)
            {
                Log.ExportAbandoned(logger, ex, output.FullPath);
            }

            throw;
        }
    }

    /// <summary>Writes one download to <paramref name="destination"/> (which is left open).</summary>
    /// <exception cref="UnknownExportSymbolException">The symbol has no candles of the bar in the database; nothing
    /// was written.</exception>
    public Task<ExportedFile> ExportAsync(ICandleStore store, ExportQuery query, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(destination);
        return store.ReadCurrentAsync(
            async (database, token) =>
            {
                await ResolveSymbolsAsync(database, [query.InstId], query.Bar, store.Description, token);
                return await WriteAsync(database, query.InstId, query.Bar, query.Format, query.FromUtc, query.ToUtc, destination, token);
            },
            cancellationToken);
    }

    /// <summary>Writes one symbol's candles from <paramref name="fromUtc"/> (included) to <paramref name="toUtc"/>
    /// (excluded) in <paramref name="format"/>, counting how complete they are.</summary>
    internal async Task<ExportedFile> WriteAsync(
        CandleDatabase database,
        string instId,
        Bar bar,
        ExportFormat format,
        DateTimeOffset? fromUtc,
        DateTimeOffset? toUtc,
        Stream destination,
        CancellationToken cancellationToken)
    {
        var lengthMs = RequireFixedLength(bar);
        var fromMs = fromUtc?.ToUnixTimeMilliseconds();
        var toMs = toUtc?.ToUnixTimeMilliseconds();
        var queryFromMs = fromMs ?? long.MinValue;
        var queryToMs = toMs is { } end ? end - 1 : long.MaxValue;

        // Read before the cursor opens: the database serves one operation at a time.
        var listTimeMs = await database.GetListTimeAsync(instId, cancellationToken);
        var holes = await database.GetSourceGapsAsync(instId, bar, queryFromMs, queryToMs, cancellationToken);
        var counter = new CompletenessCounter(
            fromMs is { } start ? Math.Max(BarMath.Ceiling(start, lengthMs), listTimeMs is { } listed ? BarMath.Ceiling(listed, lengthMs) : long.MinValue) : null,
            toMs is { } stop ? Math.Min(BarMath.Floor(stop - 1, lengthMs), LastClosedBar(lengthMs)) : null,
            lengthMs,
            holes.Select(h => h.Range));

        var counting = new CountingStream(destination);
        long rows = 0;
        long? firstMs = null, lastMs = null;
        await using var writer = await CandleFileWriter.CreateAsync(format, counting, cancellationToken);
        await foreach (var candle in database.ReadCandlesAsync(instId, bar, queryFromMs, queryToMs, cancellationToken))
        {
            await writer.AddAsync(candle, cancellationToken);
            counter.Observe(candle.OpenTimeMs);
            firstMs ??= candle.OpenTimeMs;
            lastMs = candle.OpenTimeMs;
            rows++;
        }

        var completeness = counter.Complete();
        await writer.CompleteAsync(format == ExportFormat.Parquet ? Metadata(instId, bar, completeness) : new Dictionary<string, string>(), cancellationToken);
        Log.Exported(logger, rows, instId, bar.Name, format, counting.BytesWritten, completeness.MissingBars, completeness.AbsentBars, completeness.ExpectedBars);
        return new ExportedFile(instId, bar, format, null, rows, firstMs, lastMs, counting.BytesWritten, completeness);
    }

    /// <summary>Parses a bar name for an export: a known bar of fixed length (not the month).</summary>
    /// <exception cref="InvalidExportRequestException">The name is not such a bar.</exception>
    public static Bar ParseBar(string name)
    {
        if (!Bar.TryParse(name?.Trim(), out var bar))
        {
            throw new InvalidExportRequestException(
                $"unknown bar '{ExportTimes.Echo(name)}' (known: {string.Join(", ", Bar.Known.Where(b => b.HasFixedLength).Select(b => b.Name))}).");
        }

        RequireFixedLength(bar);
        return bar;
    }

    internal static void RequireRange(DateTimeOffset fromUtc, DateTimeOffset toUtc, string fromName, string toName)
    {
        if (fromUtc >= toUtc)
        {
            throw new InvalidExportRequestException(string.Create(
                CultureInfo.InvariantCulture,
                $"{fromName} {ExportTimes.Format(fromUtc.ToUnixTimeMilliseconds())} is not before {toName} {ExportTimes.Format(toUtc.ToUnixTimeMilliseconds())}: the range is empty ({toName} is excluded)."));
        }
    }

    private static long RequireFixedLength(Bar bar) =>
        bar.LengthMs > 0 && bar.HasFixedLength
            ? bar.LengthMs
            : throw new InvalidExportRequestException($"bar '{bar.Name}' cannot be exported: its bars have no fixed length.");

    /// <summary>The symbols to export: those asked for, every one known to the database; or, when none was asked
    /// for, every symbol the database has for the bar.</summary>
    private static async Task<IReadOnlyList<string>> ResolveSymbolsAsync(
        CandleDatabase database, IReadOnlyList<string> requested, Bar bar, string description, CancellationToken cancellationToken)
    {
        var known = await database.GetSymbolsAsync(bar, cancellationToken);
        if (requested.Count == 0)
        {
            return known.Count > 0
                ? known
                : throw new UnknownExportSymbolException($"there is nothing to export: no {bar.Name} candles in {description}.");
        }

        var unknown = requested.Where(s => !known.Contains(s, StringComparer.Ordinal)).ToList();
        return unknown.Count == 0 ? requested : throw new UnknownExportSymbolException(unknown, bar.Name, description);
    }

    private static Dictionary<string, string> Metadata(string instId, Bar bar, ExportCompleteness completeness)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["blofin.inst_id"] = instId,
            ["blofin.bar"] = bar.Name,
            ["blofin.expected_bars"] = completeness.ExpectedBars.ToString(CultureInfo.InvariantCulture),
            ["blofin.missing_bars"] = completeness.MissingBars.ToString(CultureInfo.InvariantCulture),
            ["blofin.absent_bars"] = completeness.AbsentBars.ToString(CultureInfo.InvariantCulture),
        };
        if (completeness is { WindowStartMs: { } start, WindowEndMs: { } end })
        {
            metadata["blofin.window"] = $"{ExportTimes.Format(start)}..{ExportTimes.Format(end)}";
        }

        return metadata;
    }

    // The bar containing now is still forming; the one before it is the newest that can be expected.
    private long LastClosedBar(long lengthMs) => BarMath.Floor(timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), lengthMs) - lengthMs;
}
