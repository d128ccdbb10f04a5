using System.Globalization;
using System.Text;

namespace Blofin.Backfill.Bench;

/// <summary>The terminal table: one row per scenario, then the headline ratios and the machine.</summary>
internal static class ReportTable
{
    public static string Render(BenchReport report)
    {
        var rows = new List<string[]>
        {
            new[] { "scenario", "symbols", "requests", "target", "wall s", "rows", "rows/s", "down MB", "up MB", "cycles", "lease waits", "429/403", "notes" },
        };
        foreach (var s in report.Scenarios)
        {
            rows.Add(
            [
                s.Name,
                Number(s.Symbols),
                Number(s.Requests),
                s.ExpectedRequests is { } expected ? Number(expected) : "-",
                s.WallSeconds.ToString("0.000", CultureInfo.InvariantCulture),
                Number(s.RowsInserted),
                Number((long)s.RowsPerSecond),
                Megabytes(s.BytesDownloaded),
                Megabytes(s.BytesUploaded),
                s.MergeCycles is { } cycles ? Number(cycles) : "-",
                s.LeaseWaits is { } waits ? Number(waits) : "-",
                $"{s.RateLimited}/{s.Banned}",
                Notes(s),
            ]);
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        for (var r = 0; r < rows.Count; r++)
        {
            text.AppendJoin(" | ", rows[r].Select((cell, c) => c is 0 or 12 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).AppendLine();
            if (r == 0)
            {
                text.AppendJoin("-|-", widths.Select(w => new string('-', w))).AppendLine();
            }
        }

        text.AppendLine();
        if (report.SpeedupVsBaseline is { } speedup)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"speedupVsBaseline: {speedup:0.0}x (target >= 30x)"));
        }

        if (report.RateBound is { FloorSeconds: { } floor } rate)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"ratioToFloor: {rate.RatioToFloor:0.000} (wall {rate.WallSeconds:0.000} s / floor {floor:0.000} s; target <= 1.15)"));
        }

        var m = report.Machine;
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"machine: {m.Cores} cores, {m.Os}, {m.DotNet}, {m.Architecture}; latency {report.LatencyMs} ms per request; {m.Storage}; load average {m.LoadAverageAtStart ?? "?"} at start, {m.LoadAverageAtEnd ?? "?"} at end"));
        foreach (var s in report.Scenarios)
        {
            foreach (var problem in s.Problems)
            {
                text.AppendLine($"PROBLEM in {s.Name}: {problem}");
            }
        }

        return text.ToString();
    }

    private static string Notes(ScenarioResult s) => s.Name switch
    {
        ScenarioNames.RateBound => string.Create(CultureInfo.InvariantCulture, $"limits {s.RateLimits}, floor {s.FloorSeconds:0.000} s, ratio {s.RatioToFloor:0.000}, busiest {string.Join('/', s.BusiestWindows ?? [])}"),
        ScenarioNames.GapRepair => string.Create(CultureInfo.InvariantCulture, $"{s.GapsPerSymbol} gaps/symbol, {s.RowsDeleted} rows cut, optimal {s.OptimalRequests}"),
        ScenarioNames.SteadyTick => string.Create(CultureInfo.InvariantCulture, $"clock +{s.AdvancedClockMinutes} min"),
        ScenarioNames.Baseline => "seed algorithm",
        _ => string.Create(CultureInfo.InvariantCulture, $"{s.WorkerInstances} instances x {s.DrainersPerInstance} drainers"),
    };

    private static string Number(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Megabytes(long? bytes) => bytes is { } b ? (b / 1_048_576.0).ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
