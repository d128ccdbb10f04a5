using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Coverage;

/// <summary>Reads one page of candles for proof that the exchange lacks some bars, so they are not
/// fetched again on every run.</summary>
public static class HoleDetector
{
    /// <summary>The ranges the page proves absent at the exchange, each with its evidence:
    /// <list type="bullet">
    /// <item>a <see cref="SourceGapReason.Hole"/>: the bars strictly between two adjacent rows that are both
    /// confirmed (the bar at the cursor counts as the newest neighbour only when
    /// <paramref name="cursorBarStored"/>; an unconfirmed row is late, not evidence);</item>
    /// <item><see cref="SourceGapReason.BeforeHistory"/>: when the page returned fewer rows than its limit,
    /// the exchange has nothing older, so the bars of the planned span below the oldest row are absent.</item>
    /// </list>
    /// A bar is declared absent only once it closed at least <paramref name="settle"/> before
    /// <paramref name="now"/>: the exchange can publish a bar late.</summary>
    /// <param name="rowsNewestFirst">Every row the page returned, confirmed or not, as the exchange ordered them.</param>
    /// <param name="cursorBarStored">Whether the bar opening at the cursor is known to exist (it is stored).</param>
    public static IReadOnlyList<SourceGap> Detect(
        Bar bar,
        PageRequest request,
        IReadOnlyList<Candle> rowsNewestFirst,
        bool cursorBarStored,
        DateTimeOffset now,
        TimeSpan settle)
    {
        var lengthMs = BarMath.LengthOf(bar, nameof(bar));
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(rowsNewestFirst);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settle, TimeSpan.Zero);
        if (!BarMath.IsAligned(request.AfterMs, lengthMs))
        {
            throw new ArgumentException($"The cursor {request.AfterMs} is not a {bar.Name} bar boundary.", nameof(request));
        }

        RequireRowsOfPage(request, rowsNewestFirst, lengthMs);

        var nowMs = now.ToUnixTimeMilliseconds();
        var detectedAtMs = nowMs;
        // The newest bar that closed at least `settle` ago: open + length <= now - settle.
        var newestSettledMs = BarMath.Floor(nowMs - (long)settle.TotalMilliseconds, lengthMs) - lengthMs;
        var gaps = new List<SourceGap>();

        long? newerMs = cursorBarStored ? request.AfterMs : null;
        var newerConfirmed = cursorBarStored;
        foreach (var row in rowsNewestFirst)
        {
            if (newerMs is { } newer && newerConfirmed && row.IsConfirmed && newer - row.OpenTimeMs > lengthMs)
            {
                var hole = new TimeRange(row.OpenTimeMs + lengthMs, Math.Min(newer - lengthMs, newestSettledMs));
                if (hole.StartMs <= hole.EndMs)
                {
                    gaps.Add(new SourceGap(hole, SourceGapReason.Hole, detectedAtMs, request.AfterMs, request.Limit, newer, row.OpenTimeMs));
                }
            }

            newerMs = row.OpenTimeMs;
            newerConfirmed = row.IsConfirmed;
        }

        if (rowsNewestFirst.Count < request.Limit)
        {
            // A short page is the end of history: nothing older than its oldest row exists.
            var span = request.Span(bar);
            long? oldestMs = rowsNewestFirst.Count > 0 ? rowsNewestFirst[^1].OpenTimeMs : null;
            var endMs = Math.Min((oldestMs ?? request.AfterMs) - lengthMs, Math.Min(span.EndMs, newestSettledMs));
            if (span.StartMs <= endMs)
            {
                var newerNeighbourMs = oldestMs ?? (cursorBarStored ? request.AfterMs : null);
                gaps.Add(new SourceGap(
                    new TimeRange(span.StartMs, endMs), SourceGapReason.BeforeHistory, detectedAtMs, request.AfterMs, request.Limit, newerNeighbourMs, null));
            }
        }

        return gaps;
    }

    private static void RequireRowsOfPage(PageRequest request, IReadOnlyList<Candle> rows, long lengthMs)
    {
        if (rows.Count > request.Limit)
        {
            throw new ArgumentException($"The page returned {rows.Count} rows, more than its limit of {request.Limit}.", nameof(rows));
        }

        var newerMs = request.AfterMs;
        foreach (var row in rows)
        {
            if (row.OpenTimeMs >= newerMs || !BarMath.IsAligned(row.OpenTimeMs, lengthMs))
            {
                throw new ArgumentException(
                    $"Row {row.OpenTimeMs} is not on a bar boundary, or not below the cursor {request.AfterMs} and the newer rows (rows must be newest first).",
                    nameof(rows));
            }

            newerMs = row.OpenTimeMs;
        }
    }
}
