using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Backfill;

/// <summary>What a backfill will ask the exchange for, decided before any candle request.</summary>
/// <param name="PresentOpenTimes">Bars stored in the window when the plan was made, ascending.</param>
/// <param name="Missing">Window minus stored bars minus bars known absent at the exchange (those due their second
/// look count as missing).</param>
/// <param name="Pages">The fewest <c>after</c> cursors that cover <paramref name="Missing"/>.</param>
public sealed record BackfillPlan(
    BackfillRequest Request,
    Instrument Instrument,
    CoverageWindow Window,
    IReadOnlyList<long> PresentOpenTimes,
    IReadOnlyList<TimeRange> Missing,
    IReadOnlyList<PageRequest> Pages)
{
    /// <summary>The source gaps recorded in the window when planning, due ones included.</summary>
    public IReadOnlyList<SourceGap> KnownGaps { get; init; } = [];

    /// <summary>The recorded gaps due their one second look (<c>Backfill:HoleRecheckAfter</c>): planned as missing.</summary>
    public IReadOnlyList<SourceGap> DueHoles { get; init; } = [];

    /// <summary>Bars of the window in <see cref="DueHoles"/> (counted in <see cref="MissingCount"/> too).</summary>
    public long DueHoleCount => DueHoles.Sum(hole =>
        new TimeRange(Math.Max(hole.Range.StartMs, Window.StartMs), Math.Min(hole.Range.EndMs, Window.EndMs)).Count(Window.Bar));

    public long PresentBefore => PresentOpenTimes.Count;

    public long MissingCount => Missing.Sum(range => range.Count(Window.Bar));

    /// <summary>Whether the bar opening at <paramref name="openTimeMs"/> was stored when planning.</summary>
    public bool IsStored(long openTimeMs) => BinarySearch(PresentOpenTimes, openTimeMs);

    private static bool BinarySearch(IReadOnlyList<long> sorted, long value)
    {
        int low = 0, high = sorted.Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var current = sorted[middle];
            if (current == value)
            {
                return true;
            }

            if (current < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return false;
    }
}
