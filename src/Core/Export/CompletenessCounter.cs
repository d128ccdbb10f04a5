using Blofin.Backfill.Coverage;

namespace Blofin.Backfill.Export;

/// <summary>Counts, while the rows stream past in time order, how complete an exported range is: no list of the
/// rows is kept, only the (few) proven holes of the range.</summary>
internal sealed class CompletenessCounter
{
    private readonly long? _knownStartMs;
    private readonly long? _knownEndMs;
    private readonly long _lengthMs;
    private readonly List<TimeRange> _holes;
    private int _hole;
    private long _rowsInWindow;
    private long _rowsInHoles;
    private long? _firstMs;
    private long? _lastMs;

    /// <param name="knownStartMs">The first expected open time when the range has a start; null: the first row.</param>
    /// <param name="knownEndMs">The last expected open time when the range has an end; null: the last row.</param>
    /// <param name="holes">Ranges proved absent at the exchange (any order, may overlap).</param>
    public CompletenessCounter(long? knownStartMs, long? knownEndMs, long lengthMs, IEnumerable<TimeRange> holes)
    {
        _knownStartMs = knownStartMs;
        _knownEndMs = knownEndMs;
        _lengthMs = lengthMs;
        _holes = Merge(holes, lengthMs);
    }

    /// <summary>Takes the next row; open times must come in ascending order.</summary>
    public void Observe(long openTimeMs)
    {
        _firstMs ??= openTimeMs;
        _lastMs = openTimeMs;
        if (openTimeMs < _knownStartMs || openTimeMs > _knownEndMs)
        {
            return;
        }

        _rowsInWindow++;
        while (_hole < _holes.Count && _holes[_hole].EndMs < openTimeMs)
        {
            _hole++;
        }

        if (_hole < _holes.Count && _holes[_hole].Contains(openTimeMs))
        {
            // A stored row inside a recorded hole is present, whatever the hole says.
            _rowsInHoles++;
        }
    }

    public ExportCompleteness Complete()
    {
        var startMs = _knownStartMs ?? _firstMs;
        var endMs = _knownEndMs ?? _lastMs;
        if (startMs is not { } start || endMs is not { } end || start > end)
        {
            return new ExportCompleteness(null, null, 0, 0, 0);
        }

        var expected = ((end - start) / _lengthMs) + 1;
        long holeBars = 0;
        foreach (var hole in _holes)
        {
            var from = Math.Max(hole.StartMs, start);
            var to = Math.Min(hole.EndMs, end);
            if (from <= to)
            {
                holeBars += ((to - from) / _lengthMs) + 1;
            }
        }

        var absent = holeBars - _rowsInHoles;
        return new ExportCompleteness(start, end, expected, expected - _rowsInWindow - absent, absent);
    }

    private static List<TimeRange> Merge(IEnumerable<TimeRange> ranges, long lengthMs)
    {
        var merged = new List<TimeRange>();
        foreach (var range in ranges.Where(r => r.StartMs <= r.EndMs).OrderBy(r => r.StartMs))
        {
            if (merged.Count > 0 && range.StartMs <= merged[^1].EndMs + lengthMs)
            {
                merged[^1] = merged[^1] with { EndMs = Math.Max(merged[^1].EndMs, range.EndMs) };
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }
}
