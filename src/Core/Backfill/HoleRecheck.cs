using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Backfill;

/// <summary>The second look at recorded source gaps: which bars a page showed, what a due gap turned out to
/// be, and which newly detected gaps are not recorded already.</summary>
internal static class HoleRecheck
{
    /// <summary>The bars a successful page showed, present or absent: from its oldest row (or, for a short page,
    /// which means the exchange has nothing older, from the bottom of its span) up to its cursor.</summary>
    public static TimeRange Shown(PageRequest page, Bar bar, IReadOnlyList<Candle> rowsNewestFirst)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(rowsNewestFirst);
        var span = page.Span(bar);
        var bottomMs = rowsNewestFirst.Count < page.Limit
            ? Math.Min(span.StartMs, rowsNewestFirst.Count > 0 ? rowsNewestFirst[^1].OpenTimeMs : span.StartMs)
            : rowsNewestFirst[^1].OpenTimeMs;
        return new TimeRange(bottomMs, span.EndMs);
    }

    /// <summary>What the pages of this run found for <paramref name="hole"/>, bar by bar: a confirmed row fills
    /// it; a bar a page showed without a row is final; a bar no page showed, or one served still forming, stays
    /// due.</summary>
    /// <param name="shown">The pages that succeeded, each with the bars it showed (<see cref="Shown"/>).</param>
    /// <param name="confirmedOpenTimes">Open times of the confirmed rows the pages returned.</param>
    /// <param name="unconfirmedOpenTimes">Open times of the rows served still forming.</param>
    public static HoleRecheckOutcome Resolve(
        SourceGap hole,
        Bar bar,
        IReadOnlyList<(PageRequest Page, TimeRange Shown)> shown,
        IReadOnlySet<long> confirmedOpenTimes,
        IReadOnlySet<long> unconfirmedOpenTimes,
        long nowMs)
    {
        ArgumentNullException.ThrowIfNull(hole);
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentNullException.ThrowIfNull(confirmedOpenTimes);
        ArgumentNullException.ThrowIfNull(unconfirmedOpenTimes);
        var lengthMs = BarMath.LengthOf(bar, nameof(bar));
        var filled = new RangeBuilder(lengthMs);
        var final = new RangeBuilder(lengthMs);
        var due = new RangeBuilder(lengthMs);
        PageRequest? evidence = null;
        for (var ms = hole.Range.StartMs; ms <= hole.Range.EndMs; ms += lengthMs)
        {
            if (confirmedOpenTimes.Contains(ms))
            {
                filled.Add(ms);
                continue;
            }

            var page = shown.FirstOrDefault(s => s.Shown.Contains(ms)).Page;
            if (page is null || unconfirmedOpenTimes.Contains(ms))
            {
                due.Add(ms);
                continue;
            }

            evidence ??= page;
            final.Add(ms);
        }

        evidence ??= shown.FirstOrDefault(s => s.Shown.StartMs <= hole.Range.EndMs && s.Shown.EndMs >= hole.Range.StartMs).Page;
        return new HoleRecheckOutcome(hole, filled.Ranges, final.Ranges, due.Ranges, nowMs, evidence?.AfterMs ?? 0, evidence?.Limit ?? 0);
    }

    /// <summary>The parts of <paramref name="detected"/> not already recorded in <paramref name="known"/>, with
    /// the detection's evidence.</summary>
    public static IEnumerable<SourceGap> WithoutKnown(SourceGap detected, IReadOnlyList<TimeRange> known, Bar bar)
    {
        ArgumentNullException.ThrowIfNull(detected);
        ArgumentNullException.ThrowIfNull(known);
        var lengthMs = BarMath.LengthOf(bar, nameof(bar));
        var pieces = new List<TimeRange> { detected.Range };
        foreach (var cut in known)
        {
            var next = new List<TimeRange>(pieces.Count + 1);
            foreach (var piece in pieces)
            {
                if (cut.EndMs < piece.StartMs || cut.StartMs > piece.EndMs)
                {
                    next.Add(piece);
                    continue;
                }

                if (piece.StartMs < cut.StartMs)
                {
                    next.Add(new TimeRange(piece.StartMs, cut.StartMs - lengthMs));
                }

                if (piece.EndMs > cut.EndMs)
                {
                    next.Add(new TimeRange(cut.EndMs + lengthMs, piece.EndMs));
                }
            }

            pieces = next;
        }

        return pieces.Select(range => detected with { Range = range });
    }

    // Collects ascending bar open times into runs of consecutive bars.
    private sealed class RangeBuilder(long lengthMs)
    {
        private readonly List<TimeRange> _ranges = [];

        public IReadOnlyList<TimeRange> Ranges => _ranges;

        public void Add(long openTimeMs)
        {
            if (_ranges.Count > 0 && _ranges[^1].EndMs + lengthMs == openTimeMs)
            {
                _ranges[^1] = _ranges[^1] with { EndMs = openTimeMs };
            }
            else
            {
                _ranges.Add(new TimeRange(openTimeMs, openTimeMs));
            }
        }
    }
}
