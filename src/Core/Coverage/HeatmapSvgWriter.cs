using System.Globalization;
using static System.FormattableString;

namespace Blofin.Backfill.Coverage;

/// <summary>Lays out and writes the heatmap as plain SVG 1.1: no script, no external resource, generic fonts,
/// text sizes estimated from character counts (monospace symbols are exactly 0.6 em a character).</summary>
internal static class HeatmapSvgWriter
{
    private const int Margin = 16;
    private const int CellWidth = 6;
    // Hours of a day touch; days are parted by a gap holding a dark line.
    private const int DayGap = 3;
    private const int RowPitch = 13;
    private const int CellHeight = 12;
    private const int MarkHeight = 3;
    private const int FontSize = 11;
    private const int TitleFontSize = 16;
    private const int AxisFontSize = 9;
    private const int SwatchSize = 12;
    private const int LegendLineHeight = 18;
    private const int MinimumWidth = 640;
    // Monospace glyphs are 0.6 em wide; for sans-serif it is a generous average, so estimated text never overlaps.
    private const double EmPerCharacter = 0.6;
    private const string TextColour = "#222222";
    private const string MutedColour = "#555555";
    private const string DayLineColour = "#444444";
    private const string Good = "#1a6e3a";
    private const string Bad = "#b2182b";

    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;
    private static readonly string s_cellSizeAndFill = Invariant($"\" width=\"{CellWidth}\" height=\"{CellHeight}\" fill=\"");
    private static readonly string s_markTail =
        Invariant($"\" width=\"{CellWidth}\" height=\"{MarkHeight}\" fill=\"{HeatmapPalette.AbsentAtExchange}\" pointer-events=\"none\"/>\n");

    public static void Write(HeatmapData data, TextWriter writer)
    {
        var hourCount = Validate(data);
        var startUtc = data.WindowStartUtc.ToUniversalTime();
        var endUtc = data.WindowEndUtc.ToUniversalTime();
        var firstHourUtc = DateTimeOffset.FromUnixTimeMilliseconds(CoverageHeatmap.FloorToHour(startUtc.ToUnixTimeMilliseconds()));

        var title = $"Coverage of {data.Bar} candles opening {Minute(startUtc)} to {Minute(endUtc)} UTC";
        var subtitle = string.Create(
            s_invariant,
            $"Generated {data.GeneratedAtUtc.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC \u00b7 {data.Rows.Count} symbols \u00b7 {hourCount} hours");
        string[] footnotes =
        [
            "One cell per symbol and UTC hour; the first and last hour may be partial. Hover a cell for its counts.",
            "At the right: bars present / bars expected over the whole window, rounded down.",
        ];

        // Horizontal layout: symbol labels, the grid, the percent labels.
        var longestSymbol = data.Rows.Count == 0 ? 4 : data.Rows.Max(r => r.InstId.Length);
        var labelWidth = TextWidth(Math.Max(longestSymbol, 4), FontSize) + 8;
        var gridLeft = Margin + labelWidth;
        var columns = Columns(firstHourUtc, hourCount, gridLeft);
        var gridRight = columns[^1].X + CellWidth;
        var percentX = gridRight + 6;
        var percentLabels = data.Rows.Select(PercentLabel).ToArray();
        var percentWidth = TextWidth(Math.Max(percentLabels.DefaultIfEmpty("100%").Max(l => l.Length), 6), FontSize);
        var width = Math.Max(
            Math.Max(percentX + percentWidth + Margin, MinimumWidth),
            Math.Max(TextWidth(title.Length, TitleFontSize), TextWidth(footnotes.Append(subtitle).Max(t => t.Length), FontSize)) + (2 * Margin));

        // Vertical layout: title, subtitle, legend, top axis, rows, bottom axis, footnote.
        var titleY = Margin + TitleFontSize;
        var subtitleY = titleY + 18;
        var legendTop = subtitleY + 12;
        var legend = LayOutLegend(legendTop, width - (2 * Margin));
        var axisTop = legend.Bottom + 14;
        var gridTop = axisTop + 28;
        var rowCount = Math.Max(data.Rows.Count, 1);
        var gridBottom = gridTop + (rowCount * RowPitch) - (RowPitch - CellHeight);
        var footnoteY = gridBottom + 36;
        var height = footnoteY + ((footnotes.Length - 1) * 14) + Margin;

        var svg = new SvgText(writer);
        svg.Raw(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"{FontSize}\" fill=\"{TextColour}\">\n"));
        svg.Raw("<title>");
        svg.Text(title);
        svg.Raw("</title>\n<style type=\"text/css\">rect[data-hour]:hover{stroke:#000000;stroke-width:1}</style>\n");
        svg.Raw(Invariant($"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n"));
        svg.Raw(Invariant($"<text x=\"{Margin}\" y=\"{titleY}\" font-size=\"{TitleFontSize}\" font-weight=\"bold\">"));
        svg.Text(title);
        svg.Raw(Invariant($"</text>\n<text x=\"{Margin}\" y=\"{subtitleY}\" fill=\"{MutedColour}\">"));
        svg.Text(subtitle);
        svg.Raw("</text>\n");

        WriteLegend(svg, legend);

        WriteAxis(svg, columns, axisTop, gridTop, gridBottom, width - Margin);

        svg.Raw("<g shape-rendering=\"crispEdges\">\n");
        if (data.Rows.Count == 0)
        {
            svg.Raw(Invariant($"<text x=\"{gridLeft}\" y=\"{gridTop + 10}\" fill=\"{MutedColour}\">No symbols.</text>\n"));
        }

        for (var r = 0; r < data.Rows.Count; r++)
        {
            WriteRow(svg, data.Rows[r], percentLabels[r], columns, gridTop + (r * RowPitch), gridLeft, percentX);
        }

        svg.Raw("</g>\n");
        WriteDayLines(svg, columns, axisTop, gridBottom);
        for (var i = 0; i < footnotes.Length; i++)
        {
            svg.Raw(Invariant($"<text x=\"{Margin}\" y=\"{footnoteY + (i * 14)}\" fill=\"{MutedColour}\">"));
            svg.Text(footnotes[i]);
            svg.Raw("</text>\n");
        }

        svg.Raw("</svg>\n");
    }

    private static int Validate(HeatmapData data)
    {
        ArgumentNullException.ThrowIfNull(data.Rows);
        if (data.WindowEndUtc < data.WindowStartUtc)
        {
            throw new ArgumentException($"The window's end ({data.WindowEndUtc:O}) is before its start ({data.WindowStartUtc:O}).", nameof(data));
        }

        var hourCount = data.HourCount;
        foreach (var row in data.Rows)
        {
            if (row?.InstId is null || row.Hours is null)
            {
                throw new ArgumentException("Every row needs a symbol and its hours.", nameof(data));
            }

            if (row.Hours.Count != hourCount)
            {
                throw new ArgumentException($"Row {row.InstId} has {row.Hours.Count} hours; the window touches {hourCount}.", nameof(data));
            }

            for (var h = 0; h < hourCount; h++)
            {
                var cell = row.Hours[h];
                if (cell.Expected < 0 || cell.Present < 0 || cell.AbsentAtExchange < 0 || cell.Missing < 0)
                {
                    throw new ArgumentException(
                        $"Row {row.InstId}, hour {h}: {cell} counts must be non-negative and present + absent must not exceed expected.", nameof(data));
                }
            }
        }

        return hourCount;
    }

    private static Column[] Columns(DateTimeOffset firstHourUtc, int hourCount, int gridLeft)
    {
        var columns = new Column[hourCount];
        var x = gridLeft;
        for (var h = 0; h < hourCount; h++)
        {
            var hour = firstHourUtc.AddHours(h);
            if (h > 0)
            {
                x += hour.Hour == 0 ? CellWidth + DayGap : CellWidth;
            }

            columns[h] = new Column(
                hour,
                x,
                x.ToString(s_invariant),
                hour.ToString("yyyy-MM-dd'T'HH':00Z'", s_invariant),
                hour.ToString("yyyy-MM-dd HH':00 UTC: '", s_invariant));
        }

        return columns;
    }

    private static void WriteAxis(SvgText svg, Column[] columns, int axisTop, int gridTop, int gridBottom, int rightEdge)
    {
        svg.Raw(Invariant($"<g font-size=\"{AxisFontSize}\" fill=\"{MutedColour}\" text-anchor=\"middle\">\n"));
        foreach (var column in columns)
        {
            var hour = column.HourUtc.Hour;
            if (hour % 6 != 0)
            {
                continue;
            }

            var x = column.X - 0.5;
            svg.Raw(Invariant($"<line x1=\"{x}\" y1=\"{gridTop - 5}\" x2=\"{x}\" y2=\"{gridTop - 1}\" stroke=\"{MutedColour}\"/>"));
            svg.Raw(Invariant($"<line x1=\"{x}\" y1=\"{gridBottom + 1}\" x2=\"{x}\" y2=\"{gridBottom + 5}\" stroke=\"{MutedColour}\"/>"));
            if (hour != 0)
            {
                svg.Raw(Invariant($"<text x=\"{x}\" y=\"{gridTop - 8}\">{hour:00}</text>"));
            }

            svg.Raw("\n");
        }

        svg.Raw("</g>\n<g font-weight=\"bold\">\n");
        for (var c = 0; c < columns.Length; c++)
        {
            // A day is named where it starts (or where the grid starts), if there is room before the next day.
            if (c > 0 && columns[c].HourUtc.Hour != 0)
            {
                continue;
            }

            var label = columns[c].HourUtc.ToString("ddd yyyy-MM-dd", s_invariant);
            var x = columns[c].X + 3;
            var next = Array.FindIndex(columns, c + 1, k => k.HourUtc.Hour == 0);
            var room = (next < 0 ? rightEdge : columns[next].X - DayGap) - x;
            // Bold glyphs run about a tenth wider than the estimate for regular ones.
            if (room < TextWidth(label.Length, FontSize) * 1.1)
            {
                continue;
            }

            svg.Raw(Invariant($"<text x=\"{x}\" y=\"{axisTop + 10}\">{label}</text><text x=\"{x}\" y=\"{gridBottom + 18}\">{label}</text>\n"));
        }

        svg.Raw("</g>\n");
    }

    private static void WriteDayLines(SvgText svg, Column[] columns, int axisTop, int gridBottom)
    {
        svg.Raw(Invariant($"<g stroke=\"{DayLineColour}\" stroke-width=\"1\" shape-rendering=\"crispEdges\">\n"));
        foreach (var column in columns)
        {
            if (column.HourUtc.Hour == 0 && column.X != columns[0].X)
            {
                var x = column.X - (DayGap / 2.0);
                svg.Raw(Invariant($"<line x1=\"{x}\" y1=\"{axisTop}\" x2=\"{x}\" y2=\"{gridBottom + 20}\"/>\n"));
            }
        }

        svg.Raw("</g>\n");
    }

    private static void WriteRow(SvgText svg, HeatmapRow row, string percentLabel, Column[] columns, int y, int gridLeft, int percentX)
    {
        var symbol = SvgText.Escape(row.InstId);
        var yText = y.ToString(s_invariant);
        var markY = (y + CellHeight - MarkHeight).ToString(s_invariant);
        svg.Raw(Invariant($"<g data-row=\"{symbol}\">\n<text x=\"{gridLeft - 6}\" y=\"{y + 10}\" text-anchor=\"end\" font-family=\"monospace\">{symbol}</text>\n"));
        for (var h = 0; h < columns.Length; h++)
        {
            var cell = row.Hours[h];
            var column = columns[h];
            svg.Raw("<rect x=\"");
            svg.Raw(column.XText);
            svg.Raw("\" y=\"");
            svg.Raw(yText);
            svg.Raw(s_cellSizeAndFill);
            svg.Raw(HeatmapPalette.FillOf(cell));
            svg.Raw("\" data-symbol=\"");
            svg.Raw(symbol);
            svg.Raw("\" data-hour=\"");
            svg.Raw(column.HourAttribute);
            svg.Raw("\" data-expected=\"");
            svg.Number(cell.Expected);
            svg.Raw("\" data-present=\"");
            svg.Number(cell.Present);
            svg.Raw("\" data-absent=\"");
            svg.Number(cell.AbsentAtExchange);
            svg.Raw("\"><title>");
            svg.Raw(symbol);
            svg.Raw(" ");
            svg.Raw(column.TooltipPrefix);
            if (cell.Expected == 0)
            {
                svg.Raw("not listed, no bars expected");
            }
            else
            {
                svg.Number(cell.Present);
                svg.Raw("/");
                svg.Number(cell.Expected);
                svg.Raw(" present, ");
                svg.Number(cell.AbsentAtExchange);
                svg.Raw(" absent at exchange");
                if (cell.Missing > 0)
                {
                    svg.Raw(", ");
                    svg.Number(cell.Missing);
                    svg.Raw(" missing");
                }
            }

            svg.Raw("</title></rect>\n");
            if (HeatmapPalette.HasAbsentMark(cell))
            {
                svg.Raw("<rect x=\"");
                svg.Raw(column.XText);
                svg.Raw("\" y=\"");
                svg.Raw(markY);
                svg.Raw(s_markTail);
            }
        }

        var colour = row.CoveragePercent >= 100 ? Good : Bad;
        svg.Raw(Invariant($"<text x=\"{percentX}\" y=\"{y + 10}\" fill=\"{colour}\" font-family=\"monospace\" data-percent=\"{symbol}\">{percentLabel}</text>\n</g>\n"));
    }

    /// <summary>The row's percent, rounded down so that only a complete row reads 100%.</summary>
    internal static string PercentLabel(HeatmapRow row)
    {
        if (row.Hours.All(c => c.Expected == 0))
        {
            return "not listed";
        }

        var percent = row.CoveragePercent;
        if (double.IsNaN(percent))
        {
            return "n/a";
        }

        return percent >= 100 ? "100%" : (Math.Floor(Math.Max(percent, 0) * 10) / 10).ToString("0.0", s_invariant) + "%";
    }

    private static Legend LayOutLegend(int top, int maxWidth)
    {
        var items = new List<LegendItem>();
        var x = Margin;
        var y = top;

        void Place(string? fill, bool mark, string label, bool newLine)
        {
            var itemWidth = (fill is null ? 0 : SwatchSize + 4) + TextWidth(label.Length, FontSize) + 14;
            if (newLine || (x > Margin && x + itemWidth > Margin + maxWidth))
            {
                x = Margin;
                y += LegendLineHeight;
            }

            items.Add(new LegendItem(x, y, fill, mark, label));
            x += itemWidth;
        }

        Place(fill: null, mark: false, "Bars present per hour:", newLine: false);
        foreach (var (fill, label) in HeatmapPalette.Steps)
        {
            Place(fill, mark: false, label, newLine: false);
        }

        Place(HeatmapPalette.AbsentAtExchange, mark: false, "all gaps proven absent at the exchange", newLine: true);
        Place(HeatmapPalette.AtLeast50, mark: true, "purple foot: some gaps proven absent", newLine: false);
        Place(HeatmapPalette.NotListed, mark: false, "not listed yet", newLine: false);
        return new Legend(items, y + SwatchSize);
    }

    private static void WriteLegend(SvgText svg, Legend legend)
    {
        svg.Raw("<g data-legend=\"true\" shape-rendering=\"crispEdges\">\n");
        foreach (var item in legend.Items)
        {
            var textX = item.X;
            if (item.Fill is not null)
            {
                svg.Raw(Invariant($"<rect x=\"{item.X}\" y=\"{item.Y}\" width=\"{SwatchSize}\" height=\"{SwatchSize}\" fill=\"{item.Fill}\" stroke=\"#888888\" stroke-width=\"0.5\" data-legend-fill=\"{item.Fill}\"/>"));
                if (item.Mark)
                {
                    svg.Raw(Invariant($"<rect x=\"{item.X}\" y=\"{item.Y + SwatchSize - MarkHeight}\" width=\"{SwatchSize}\" height=\"{MarkHeight}\" fill=\"{HeatmapPalette.AbsentAtExchange}\"/>"));
                }

                textX += SwatchSize + 4;
            }

            svg.Raw(Invariant($"<text x=\"{textX}\" y=\"{item.Y + 10}\">"));
            svg.Text(item.Label);
            svg.Raw("</text>\n");
        }

        svg.Raw("</g>\n");
    }

    private static int TextWidth(int characters, int fontSize) => (int)Math.Ceiling(characters * EmPerCharacter * fontSize);

    private static string Minute(DateTimeOffset utc) => utc.ToString("yyyy-MM-dd HH:mm", s_invariant);

    private readonly record struct Column(DateTimeOffset HourUtc, int X, string XText, string HourAttribute, string TooltipPrefix);

    private readonly record struct LegendItem(int X, int Y, string? Fill, bool Mark, string Label);

    private sealed record Legend(IReadOnlyList<LegendItem> Items, int Bottom);
}
