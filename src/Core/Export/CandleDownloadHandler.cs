using System.Globalization;
using System.Text;
using Blofin.Backfill.Backfill;

namespace Blofin.Backfill.Export;

/// <summary>The HTTP export (<c>GET /api/export/{instId}?from=&amp;to=&amp;format=</c>) without HTTP types: reads the
/// parameters, writes one symbol's file (or a one-line error) from the database's current version to the response body,
/// and says which status and headers go with it.</summary>
public sealed class CandleDownloadHandler(CandleExporter exporter, ICandleStore store)
{
    private const string TextContentType = "text/plain; charset=utf-8";

    /// <summary>Answers a download.</summary>
    /// <param name="query">Looks up a query-string parameter (<c>from</c>, <c>to</c>, <c>format</c>, <c>bar</c>); null when absent.</param>
    /// <param name="body">The response body; the file or the error message is written to it.</param>
    /// <returns>200 with the file; 400 for a missing or malformed parameter or a range that is reversed or longer
    /// than <see cref="ExportQuery.MaxRange"/>; 404 for a symbol the database does not have.</returns>
    public async Task<DownloadResponse> HandleAsync(string? instId, Func<string, string?> query, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            var request = ExportQuery.Parse(instId, query("from"), query("to"), query("format"), query("bar"));
            var file = await exporter.ExportAsync(store, request, body, cancellationToken);
            var c = file.Completeness;
            return new DownloadResponse(
                200,
                [
                    new("Content-Type", request.ContentType),
                    new("Content-Disposition", $"attachment; filename=\"{request.FileName}\""),
                    // The file never pretends to be complete: what is missing travels with it.
                    new("X-Export-Rows", Text(file.Rows)),
                    new("X-Export-Expected-Bars", Text(c.ExpectedBars)),
                    new("X-Export-Missing-Bars", Text(c.MissingBars)),
                    new("X-Export-Absent-Bars", Text(c.AbsentBars)),
                ],
                file);
        }
        catch (UnknownExportSymbolException ex)
        {
            return await ErrorAsync(404, ex.Message, body, cancellationToken);
        }
        catch (InvalidExportRequestException ex)
        {
            return await ErrorAsync(400, ex.Message, body, cancellationToken);
        }
    }

    private static async Task<DownloadResponse> ErrorAsync(int status, string message, Stream body, CancellationToken cancellationToken)
    {
        await body.WriteAsync(Encoding.UTF8.GetBytes(message + "\n"), cancellationToken);
        return new DownloadResponse(status, [new("Content-Type", TextContentType)], null);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
