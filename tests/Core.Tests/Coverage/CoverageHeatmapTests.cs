using System.Text;
using System.Xml.Linq;
using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Coverage;

public sealed class CoverageHeatmapTests
{
    private const long MinuteMs = 60_000;
    private const long HourMs = 3_600_000;
    private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";
    private static readonly DateTimeOffset s_generatedAt = new(2026, 11, 27, 0, 10, 30, TimeSpan.Zero);
    private static readonly long s_start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void WriteSvg_HundredSymbolsOverAWeek_ParsesWithOneCellPerSymbolHour()
    {
        var end = s_start + (168 * HourMs) - MinuteMs;
        var symbols = Enumerable.Range(0, 100)
            .Select(i => new HeatmapSymbolInput($"SYM{i:000}-USDT", Minutes(s_start + (i * MinuteMs), end), []))
            .ToList();
        var data = CoverageHeatmap.Build(s_start, end, Bar.OneMinute, symbols, s_generatedAt);

        var svg = XDocument.Parse(CoverageHeatmap.ToSvg(data));

        var root = svg.Root!;
        Assert.Equal(s_svg + "svg", root.Name);
        Assert.Equal("1.1", (string?)root.Attribute("version"));
        Assert.Equal($"0 0 {root.Attribute("width")!.Value} {root.Attribute("height")!.Value}", (string?)root.Attribute("viewBox"));
        var cells = Cells(svg).ToList();
        Assert.Equal(100 * 168, cells.Count);
        Assert.Equal(100 * 168, cells.Select(c => (Symbol: c.Attribute("data-symbol")!.Value, Hour: c.Attribute("data-hour")!.Value)).Distinct().Count());
        Assert.Equal("2026-11-26T23:00Z", cells[167].Attribute("data-hour")!.Value);
        Assert.Empty(svg.Descendants(s_svg + "script"));
    }

    [Fact]
    public void Build_WindowStartingMidHour_HasPartialFirstAndLastHours()
    {
        var start = s_start + (5 * MinuteMs);
        var end = start + (168 * HourMs);

        var data = CoverageHeatmap.Build(start, end, Bar.OneMinute, [new HeatmapSymbolInput("BTC-USDT", [], [])], s_generatedAt);

        var hours = data.Rows[0].Hours;
        Assert.Equal(169, hours.Count);
        Assert.Equal(169, data.HourCount);
        Assert.Equal(new HeatmapCell(55, 0, 0), hours[0]);
        Assert.Equal(new HeatmapCell(60, 0, 0), hours[1]);
        Assert.Equal(new HeatmapCell(6, 0, 0), hours[168]);
        Assert.Equal(10_081, hours.Sum(c => c.Expected));
    }

    [Fact]
    public void Build_KnownCoverage_CountsEachHour()
    {
        var data = CoverageHeatmap.Build(s_start, s_start + (6 * HourMs) - MinuteMs, Bar.OneMinute, [KnownSymbol()], s_generatedAt);

        Assert.Equal(
            [
                new HeatmapCell(0, 0, 0),
                new HeatmapCell(60, 60, 0),
                new HeatmapCell(60, 0, 0),
                new HeatmapCell(60, 30, 0),
                new HeatmapCell(60, 45, 15),
                new HeatmapCell(60, 50, 3),
            ],
            data.Rows[0].Hours);
        Assert.Equal(100.0 * 185 / 300, data.Rows[0].CoveragePercent, 9);
    }

    [Fact]
    public void WriteSvg_KnownCoverage_ColoursEachCellByItsRule()
    {
        var data = CoverageHeatmap.Build(s_start, s_start + (6 * HourMs) - MinuteMs, Bar.OneMinute, [KnownSymbol()], s_generatedAt);

        var svg = XDocument.Parse(CoverageHeatmap.ToSvg(data));

        var fills = Cells(svg).Select(c => c.Attribute("fill")!.Value).ToList();
        Assert.Equal(
            [
                HeatmapPalette.NotListed,
                HeatmapPalette.Complete,
                HeatmapPalette.Empty,
                HeatmapPalette.AtLeast50,
                HeatmapPalette.AbsentAtExchange,
                HeatmapPalette.AtLeast75,
            ],
            fills);
        // Only the hour with both proven holes and missing bars carries the purple foot.
        var marks = svg.Descendants(s_svg + "rect")
            .Where(r => r.Attribute("pointer-events") is not null && r.Attribute("fill")!.Value == HeatmapPalette.AbsentAtExchange)
            .ToList();
        Assert.Equal(Cells(svg).ElementAt(5).Attribute("x")!.Value, Assert.Single(marks).Attribute("x")!.Value);
    }

    [Theory]
    [InlineData(60, 60, 0, HeatmapPalette.Complete)]
    [InlineData(5, 5, 0, HeatmapPalette.Complete)]
    [InlineData(60, 57, 0, HeatmapPalette.AtLeast95)]
    [InlineData(60, 56, 0, HeatmapPalette.AtLeast75)]
    [InlineData(60, 45, 0, HeatmapPalette.AtLeast75)]
    [InlineData(60, 30, 0, HeatmapPalette.AtLeast50)]
    [InlineData(60, 15, 0, HeatmapPalette.AtLeast25)]
    [InlineData(60, 1, 0, HeatmapPalette.AboveZero)]
    [InlineData(60, 0, 0, HeatmapPalette.Empty)]
    [InlineData(60, 0, 60, HeatmapPalette.AbsentAtExchange)]
    [InlineData(60, 58, 2, HeatmapPalette.AbsentAtExchange)]
    [InlineData(60, 57, 2, HeatmapPalette.AtLeast95)]
    [InlineData(0, 0, 0, HeatmapPalette.NotListed)]
    public void FillOf_Cell_FollowsTheColourRule(int expected, int present, int absent, string fill)
    {
        Assert.Equal(fill, HeatmapPalette.FillOf(new HeatmapCell(expected, present, absent)));
    }

    [Fact]
    public void Build_StoredBarInsideAbsentRange_CountsAsPresent()
    {
        var symbol = new HeatmapSymbolInput("BTC-USDT", [s_start], [new TimeRange(s_start - HourMs, s_start + (9 * MinuteMs))]);

        var data = CoverageHeatmap.Build(s_start, s_start + HourMs - MinuteMs, Bar.OneMinute, [symbol], s_generatedAt);

        Assert.Equal(new HeatmapCell(60, 1, 9), data.Rows[0].Hours[0]);
    }

    [Fact]
    public void Build_ListedMidHour_ExpectsNothingBeforeTheListing()
    {
        var listed = s_start + HourMs + (20 * MinuteMs) + 1;
        var symbol = new HeatmapSymbolInput("NEW-USDT", Minutes(s_start, s_start + (2 * HourMs) - MinuteMs), [], listed);

        var data = CoverageHeatmap.Build(s_start, s_start + (2 * HourMs) - MinuteMs, Bar.OneMinute, [symbol], s_generatedAt);

        Assert.Equal([new HeatmapCell(0, 0, 0), new HeatmapCell(39, 39, 0)], data.Rows[0].Hours);
        Assert.Equal(100.0, data.Rows[0].CoveragePercent);
    }

    [Fact]
    public void Build_BarLongerThanAnHour_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            CoverageHeatmap.Build(s_start, s_start + (8 * HourMs), Bar.Parse("4H"), [], s_generatedAt));

        Assert.Contains("'4H'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_StoredTimeOffTheBar_NamesTheSymbol()
    {
        var symbol = new HeatmapSymbolInput("ETH-USDT", [s_start + 1_000], []);

        var error = Assert.Throws<ArgumentException>(() =>
            CoverageHeatmap.Build(s_start, s_start + HourMs - MinuteMs, Bar.OneMinute, [symbol], s_generatedAt));

        Assert.Contains("ETH-USDT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteSvg_Cell_CarriesCountsAndAUtcTooltip()
    {
        var data = Single("BTC-USDT", new HeatmapCell(60, 58, 2));

        var cell = Assert.Single(Cells(XDocument.Parse(CoverageHeatmap.ToSvg(data))));

        Assert.Equal("BTC-USDT 2026-11-20 14:00 UTC: 58/60 present, 2 absent at exchange", cell.Element(s_svg + "title")!.Value);
        Assert.Equal("2026-11-20T14:00Z", cell.Attribute("data-hour")!.Value);
        Assert.Equal("60", cell.Attribute("data-expected")!.Value);
        Assert.Equal("58", cell.Attribute("data-present")!.Value);
        Assert.Equal("2", cell.Attribute("data-absent")!.Value);
    }

    [Fact]
    public void WriteSvg_Legend_ShowsEveryColourOfTheRule()
    {
        var svg = XDocument.Parse(CoverageHeatmap.ToSvg(Single("BTC-USDT", new HeatmapCell(60, 60, 0))));

        var legend = Assert.Single(svg.Descendants(s_svg + "g"), g => g.Attribute("data-legend") is not null);
        var fills = legend.Elements(s_svg + "rect").Select(r => (string?)r.Attribute("data-legend-fill")).OfType<string>().ToHashSet();
        string[] expected =
        [
            HeatmapPalette.Complete, HeatmapPalette.AtLeast95, HeatmapPalette.AtLeast75, HeatmapPalette.AtLeast50,
            HeatmapPalette.AtLeast25, HeatmapPalette.AboveZero, HeatmapPalette.Empty, HeatmapPalette.AbsentAtExchange,
            HeatmapPalette.NotListed,
        ];
        Assert.Superset(expected.ToHashSet(), fills);
        var text = string.Join(" | ", legend.Elements(s_svg + "text").Select(t => t.Value));
        Assert.Contains("proven absent at the exchange", text, StringComparison.Ordinal);
        Assert.Contains("not listed", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100.0, "100%")]
    [InlineData(99.99, "99.9%")]
    [InlineData(50.0, "50.0%")]
    [InlineData(0.0, "0.0%")]
    public void WriteSvg_Row_EndsWithItsPercentRoundedDown(double percent, string label)
    {
        var data = Single("BTC-USDT", new HeatmapCell(60, 60, 0)) with
        {
            Rows = [new HeatmapRow("BTC-USDT", percent, [new HeatmapCell(60, 60, 0)])],
        };

        var svg = XDocument.Parse(CoverageHeatmap.ToSvg(data));

        var text = Assert.Single(svg.Descendants(s_svg + "text"), t => (string?)t.Attribute("data-percent") == "BTC-USDT");
        Assert.Equal(label, text.Value);
    }

    [Fact]
    public void WriteSvg_Title_NamesTheBarAndTheGenerationTime()
    {
        var svg = XDocument.Parse(CoverageHeatmap.ToSvg(Single("BTC-USDT", new HeatmapCell(60, 60, 0))));

        var texts = svg.Descendants(s_svg + "text").Select(t => t.Value).ToList();
        Assert.Contains(texts, t => t.StartsWith("Coverage of 1m candles opening 2026-11-20 14:00 to 2026-11-20 14:59 UTC", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("Generated 2026-11-27 00:10:30 UTC", StringComparison.Ordinal));
    }

    [Fact]
    public void WriteSvg_SymbolWithXmlSpecialCharacters_IsEscaped()
    {
        const string symbol = "A&B<C>\"D'\u0001\u00e9";

        var markup = CoverageHeatmap.ToSvg(Single(symbol, new HeatmapCell(60, 60, 0)));

        Assert.DoesNotContain("A&B<", markup, StringComparison.Ordinal);
        Assert.Contains("A&amp;B&lt;C&gt;&quot;D&apos;&#xFFFD;&#xE9;", markup, StringComparison.Ordinal);
        Assert.True(markup.All(char.IsAscii));
        var cell = Assert.Single(Cells(XDocument.Parse(markup)));
        Assert.Equal("A&B<C>\"D'\uFFFD\u00e9", cell.Attribute("data-symbol")!.Value);
    }

    [Fact]
    public void WriteSvg_RowWithWrongNumberOfHours_NamesTheSymbol()
    {
        var data = Single("BTC-USDT", new HeatmapCell(60, 60, 0)) with
        {
            Rows = [new HeatmapRow("ETH-USDT", 100, [new HeatmapCell(60, 60, 0), new HeatmapCell(60, 60, 0)])],
        };

        var error = Assert.Throws<ArgumentException>(() => CoverageHeatmap.ToSvg(data));

        Assert.Contains("ETH-USDT has 2 hours; the window touches 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteSvg_CellCountingMoreThanExpected_Throws()
    {
        var data = Single("BTC-USDT", new HeatmapCell(60, 50, 11));

        Assert.Throws<ArgumentException>(() => CoverageHeatmap.ToSvg(data));
    }

    [Fact]
    public void WriteSvg_NoSymbols_IsStillAWellFormedPicture()
    {
        var data = new HeatmapData(Utc(s_start), Utc(s_start + HourMs - MinuteMs), "1m", [], s_generatedAt);

        var svg = XDocument.Parse(CoverageHeatmap.ToSvg(data));

        Assert.Empty(Cells(svg));
        Assert.Contains(svg.Descendants(s_svg + "text"), t => t.Value == "No symbols.");
    }

    [Fact]
    public async Task WriteSvgAsync_Stream_WritesTheSameSvgAsUtf8()
    {
        var data = Single("BTC-USDT", new HeatmapCell(60, 58, 2));
        using var stream = new MemoryStream();

        await CoverageHeatmap.WriteSvgAsync(data, stream, TestContext.Current.CancellationToken);

        Assert.Equal(CoverageHeatmap.ToSvg(data), Encoding.UTF8.GetString(stream.ToArray()));
    }

    // Hours: before listing, full, empty, half, the rest proven absent, 50 present + 3 proven absent + 7 missing.
    private static HeatmapSymbolInput KnownSymbol()
    {
        var present = Minutes(Hour(1), Hour(2) - MinuteMs)
            .Concat(Minutes(Hour(3), Hour(3) + (29 * MinuteMs)))
            .Concat(Minutes(Hour(4), Hour(4) + (44 * MinuteMs)))
            .Concat(Minutes(Hour(5), Hour(5) + (49 * MinuteMs)))
            .ToList();
        TimeRange[] absent =
        [
            new(Hour(4) + (45 * MinuteMs), Hour(5) - MinuteMs),
            new(Hour(5) + (50 * MinuteMs), Hour(5) + (52 * MinuteMs)),
        ];
        return new HeatmapSymbolInput("BTC-USDT", present, absent, ListTimeMs: Hour(1));

        static long Hour(int h) => s_start + (h * HourMs);
    }

    private static HeatmapData Single(string symbol, HeatmapCell cell)
    {
        var hour = s_start + (14 * HourMs);
        return new HeatmapData(Utc(hour), Utc(hour + HourMs - MinuteMs), "1m", [new HeatmapRow(symbol, 100.0 * cell.Present / cell.Expected, [cell])], s_generatedAt);
    }

    private static IEnumerable<XElement> Cells(XDocument svg) =>
        svg.Descendants(s_svg + "rect").Where(r => r.Attribute("data-hour") is not null);

    private static long[] Minutes(long fromMs, long toMs)
    {
        var minutes = new long[(int)((toMs - fromMs) / MinuteMs) + 1];
        for (var i = 0; i < minutes.Length; i++)
        {
            minutes[i] = fromMs + (i * MinuteMs);
        }

        return minutes;
    }

    private static DateTimeOffset Utc(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
