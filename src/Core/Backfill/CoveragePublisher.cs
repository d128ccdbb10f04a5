using System.Text;
using Blofin.Backfill.Coverage;

namespace Blofin.Backfill.Backfill;

/// <summary>The coverage published for readers outside the app (the HTTP functions): the same JSON document as
/// <c>coverage --json</c>, or the heatmap SVG, read from the store's current version without its lease.</summary>
public sealed class CoveragePublisher(CoverageReporter reporter, ICandleStore store)
{
    /// <summary>The media type of <see cref="WriteJsonAsync"/>'s output.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>The media type of <see cref="WriteSvgAsync"/>'s output.</summary>
    public const string SvgContentType = "image/svg+xml";

    /// <summary>Writes the coverage document of <paramref name="query"/>'s symbols as UTF-8 JSON.</summary>
    public async Task WriteJsonAsync(CoverageQuery query, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(output);
        var report = await reporter.GetReportAsync(store, query.Symbols, cancellationToken);
        await output.WriteAsync(Encoding.UTF8.GetBytes(CoverageDocument.From(report).ToJson()), cancellationToken);
    }

    /// <summary>Writes the coverage heatmap of <paramref name="query"/>'s symbols as UTF-8 SVG.</summary>
    public async Task WriteSvgAsync(CoverageQuery query, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(output);
        var heatmap = await reporter.GetHeatmapAsync(store, query.Symbols, cancellationToken);
        await CoverageHeatmap.WriteSvgAsync(heatmap, output, cancellationToken);
    }
}
