using BenchmarkDotNet.Attributes;
using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Bench.Micro;

/// <summary>Planning one 168-hour window that has 1,000 scattered gaps: <see cref="GapFinder"/> over the stored
/// open times, then <see cref="FetchPlanner"/> over the missing ranges.</summary>
[Config(typeof(MicroConfig))]
public class PlanBenchmarks
{
    public const int Gaps = 1_000;
    private const long MinuteMs = 60_000;

    private CoverageWindow _window = null!;
    private long[] _present = [];
    private IReadOnlyList<TimeRange> _missing = [];

    [GlobalSetup]
    public void Setup()
    {
        _window = CoverageWindow.ForRun(new DateTimeOffset(2025, 11, 20, 8, 0, 30, TimeSpan.Zero), Bar.OneMinute, 168);
        var random = new Random(3);
        var cut = new HashSet<long>();
        while (cut.Count < Gaps)
        {
            // Single minutes, never two adjacent ones, so there are exactly 1,000 gaps.
            var ms = _window.StartMs + (random.NextInt64(1, _window.ExpectedCount - 1) * MinuteMs);
            if (!cut.Contains(ms - MinuteMs) && !cut.Contains(ms + MinuteMs))
            {
                cut.Add(ms);
            }
        }

        _present = [.. Enumerable.Range(0, (int)_window.ExpectedCount).Select(i => _window.StartMs + (i * MinuteMs)).Where(ms => !cut.Contains(ms))];
        _missing = GapFinder.FindMissing(_window, _present, []);
        if (_missing.Count != Gaps)
        {
            throw new InvalidOperationException($"Expected {Gaps} gaps, found {_missing.Count}.");
        }
    }

    [Benchmark]
    public int FindGapsAndPlan_1000Gaps() =>
        FetchPlanner.Plan(GapFinder.FindMissing(_window, _present, []), Bar.OneMinute, CandleQuery.MaxLimit).Count;

    [Benchmark]
    public int FindGaps_1000Gaps() => GapFinder.FindMissing(_window, _present, []).Count;

    [Benchmark]
    public int Plan_1000Gaps() => FetchPlanner.Plan(_missing, Bar.OneMinute, CandleQuery.MaxLimit).Count;
}
