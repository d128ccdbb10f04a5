using System.Text;
using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Coverage;

/// <summary>The coverage heatmap: one row per symbol, one cell per UTC hour, coloured by the share of
/// expected bars present, drawn as a self-contained SVG 1.1 picture that opens in any browser.</summary>
public static class CoverageHeatmap
{
    private const long MillisecondsPerHour = 3_600_000;

    /// <summary>Writes the heatmap of <paramref name="data"/> as an SVG document (pure ASCII, no XML declaration).</summary>
    /// <exception cref="ArgumentException">The window ends before it starts, a row does not have one cell per
    /// hour of the window, or a cell counts more bars present or absent than it expects.</exception>
    public static void WriteSvg(HeatmapData data, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(writer);
        HeatmapSvgWriter.Write(data, writer);
    }

    /// <summary>Writes the heatmap of <paramref name="data"/> to <paramref name="stream"/> as UTF-8 SVG,
    /// rendering it in memory first so that the stream sees only asynchronous writes.</summary>
    public static async Task WriteSvgAsync(HeatmapData data, Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = Encoding.UTF8.GetBytes(ToSvg(data));
        await stream.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>The heatmap of <paramref name="data"/> as an SVG document.</summary>
    public static string ToSvg(HeatmapData data)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        WriteSvg(data, writer);
        return writer.ToString();
    }

    /// <summary>The UTC hours from the one holding <paramref name="startUtc"/> to the one holding
    /// <paramref name="endUtc"/>, both included: 168 for a window of 168 whole hours, 169 when it starts mid-hour.</summary>
    internal static int HourCount(DateTimeOffset startUtc, DateTimeOffset endUtc)
    {
        var first = FloorToHour(startUtc.ToUnixTimeMilliseconds());
        var last = FloorToHour(endUtc.ToUnixTimeMilliseconds());
        return last < first ? 0 : checked((int)((last - first) / MillisecondsPerHour) + 1);
    }

    /// <summary>Counts, per symbol and UTC hour, the bars the window expects, the stored ones and the ones
    /// proven absent at the exchange. A bar both stored and inside an absent range counts as stored.</summary>
    /// <param name="windowStartMs">Open time of the window's first bar, Unix milliseconds UTC.</param>
    /// <param name="windowEndMs">Open time of the window's last bar (included).</param>
    /// <param name="bar">The bar; its length must divide an hour (<c>1m</c> to <c>1H</c>).</param>
    /// <param name="symbols">The symbols, in the order their rows are drawn.</param>
    /// <param name="generatedAtUtc">When the coverage was read, for the title.</param>
    /// <exception cref="ArgumentException">The bar does not divide an hour, the window's ends are not bar open
    /// times or are out of order, or a stored open time inside the window is not a bar open time.</exception>
    public static HeatmapData Build(
        long windowStartMs,
        long windowEndMs,
        Bar bar,
        IEnumerable<HeatmapSymbolInput> symbols,
        DateTimeOffset generatedAtUtc)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var lengthMs = bar.LengthMs;
        if (lengthMs <= 0 || !bar.HasFixedLength || MillisecondsPerHour % lengthMs != 0)
        {
            throw new ArgumentException($"The heatmap draws one cell per hour, so the bar must divide an hour; '{bar.Name}' does not.", nameof(bar));
        }

        RequireOpenTime(windowStartMs, lengthMs, bar, nameof(windowStartMs));
        RequireOpenTime(windowEndMs, lengthMs, bar, nameof(windowEndMs));
        if (windowEndMs < windowStartMs)
        {
            throw new ArgumentException($"The window's end ({windowEndMs}) is before its start ({windowStartMs}).", nameof(windowEndMs));
        }

        var firstHourMs = FloorToHour(windowStartMs);
        var hourCount = checked((int)((FloorToHour(windowEndMs) - firstHourMs) / MillisecondsPerHour) + 1);
        // One state per bar of the window, reused for every symbol: 0 missing, 1 stored, 2 proven absent.
        var states = new byte[checked((int)((windowEndMs - windowStartMs) / lengthMs) + 1)];
        var rows = new List<HeatmapRow>();
        foreach (var symbol in symbols)
        {
            ArgumentNullException.ThrowIfNull(symbol);
            rows.Add(BuildRow(symbol, windowStartMs, windowEndMs, lengthMs, bar, firstHourMs, hourCount, states));
        }

        return new HeatmapData(
            DateTimeOffset.FromUnixTimeMilliseconds(windowStartMs),
            DateTimeOffset.FromUnixTimeMilliseconds(windowEndMs),
            bar.Name,
            rows,
            generatedAtUtc.ToUniversalTime());
    }

    private static HeatmapRow BuildRow(
        HeatmapSymbolInput symbol,
        long windowStartMs,
        long windowEndMs,
        long lengthMs,
        Bar bar,
        long firstHourMs,
        int hourCount,
        byte[] states)
    {
        ArgumentNullException.ThrowIfNull(symbol.PresentOpenTimesMs);
        ArgumentNullException.ThrowIfNull(symbol.AbsentRanges);
        Array.Clear(states);

        // Nothing is expected before the first bar at or after the listing time.
        var fromMs = symbol.ListTimeMs is { } listed ? Math.Max(windowStartMs, CeilingTo(listed, lengthMs)) : windowStartMs;
        foreach (var openTimeMs in symbol.PresentOpenTimesMs)
        {
            if (openTimeMs < fromMs || openTimeMs > windowEndMs)
            {
                continue;
            }

            if ((openTimeMs - windowStartMs) % lengthMs != 0)
            {
                throw new ArgumentException($"{symbol.InstId}: stored time {openTimeMs} is not the open time of a {bar.Name} bar.");
            }

            states[(openTimeMs - windowStartMs) / lengthMs] = 1;
        }

        foreach (var range in symbol.AbsentRanges)
        {
            var startMs = CeilingTo(Math.Max(range.StartMs, fromMs), lengthMs);
            var endMs = Math.Min(range.EndMs, windowEndMs);
            for (var t = startMs; t <= endMs; t += lengthMs)
            {
                ref var state = ref states[(t - windowStartMs) / lengthMs];
                if (state == 0)
                {
                    state = 2;
                }
            }
        }

        var expected = new int[hourCount];
        var present = new int[hourCount];
        var absent = new int[hourCount];
        long totalExpected = 0;
        long totalPresent = 0;
        for (var t = fromMs; t <= windowEndMs; t += lengthMs)
        {
            var hour = (int)((t - firstHourMs) / MillisecondsPerHour);
            var state = states[(t - windowStartMs) / lengthMs];
            expected[hour]++;
            totalExpected++;
            if (state == 1)
            {
                present[hour]++;
                totalPresent++;
            }
            else if (state == 2)
            {
                absent[hour]++;
            }
        }

        var cells = new HeatmapCell[hourCount];
        for (var hour = 0; hour < hourCount; hour++)
        {
            cells[hour] = new HeatmapCell(expected[hour], present[hour], absent[hour]);
        }

        // As SymbolCoverage does: a symbol that expects nothing in the window is complete.
        var percent = totalExpected == 0 ? 100.0 : 100.0 * totalPresent / totalExpected;
        return new HeatmapRow(symbol.InstId, percent, cells);
    }

    private static void RequireOpenTime(long ms, long lengthMs, Bar bar, string paramName)
    {
        if (ms % lengthMs != 0)
        {
            throw new ArgumentException($"{paramName} {ms} is not the open time of a {bar.Name} bar.", paramName);
        }
    }

    internal static long FloorToHour(long ms) => FloorTo(ms, MillisecondsPerHour);

    private static long FloorTo(long ms, long lengthMs)
    {
        var remainder = ms % lengthMs;
        return remainder < 0 ? ms - remainder - lengthMs : ms - remainder;
    }

    private static long CeilingTo(long ms, long lengthMs)
    {
        var floor = FloorTo(ms, lengthMs);
        return floor == ms ? ms : floor + lengthMs;
    }
}
