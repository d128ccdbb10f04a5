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
            new[] { "scenario", "symbols", "requests", "target", "wall s", "cpu s", "rows", "rows/s", "down MB", "up MB", "cycles", "lease waits", "429/403", "notes" },
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
                Cpu(s),
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
            text.Append(string.Join(" | ", rows[r].Select((cell, c) => c is 0 or 13 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd()).AppendLine();
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
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"ratioToFloor: {rate.RatioToFloor:0.000} (wall {rate.WallSeconds:0.000} s / floor {floor:0.000} s; target <= 1.15); the rate gate alone: {rate.GateOnlySeconds:0.000} s = {rate.GateRatioToFloor:0.000}x the floor"));
        }

        if (report.DeltaSync is { } d)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"deltaSync ({d.HistoryWeeks} week{(d.HistoryWeeks == 1 ? "" : "s")} of history, file {Size(d.FileBytes)}): block map up {Size(d.UploadedBytes)}, down {Size(d.DownloadedBytes)} "
                + $"(on the wire, block lists included: up {Size(d.WireUploadedBytes)}, down {Size(d.WireDownloadedBytes)}); "
                + $"whole-file: up {Size(d.WholeFileUploadedBytes)} ({d.UploadCycles} cycles), down {Size(d.WholeFileDownloadedBytes)} ({d.StaleDownloads} stale copies); "
                + $"{d.Reduction:0.0}x fewer bytes, {d.WireReduction:0.0}x on the wire (target at 8 weeks >= 20x)"));
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
        ScenarioNames.RateBound => string.Create(CultureInfo.InvariantCulture, $"limits {s.RateLimits}, margin {s.SafetyMargin}, floor {s.FloorSeconds:0.000} s, ratio {s.RatioToFloor:0.000}, busiest {string.Join('/', s.BusiestWindows ?? [])}"),
        ScenarioNames.GapRepair => string.Create(CultureInfo.InvariantCulture, $"{s.GapsPerSymbol} gaps/symbol, {s.RowsDeleted} rows cut, optimal {s.OptimalRequests}"),
        ScenarioNames.SteadyTick => string.Create(CultureInfo.InvariantCulture, $"clock +{s.AdvancedClockMinutes} min, {s.DeltaSync?.HistoryWeeks ?? 1} wk history, blob via counting proxy"),
        ScenarioNames.Baseline => "seed algorithm",
        _ => string.Create(CultureInfo.InvariantCulture, $"{s.WorkerInstances} instances x {s.DrainersPerInstance} drainers"),
    };

    /// <summary>This process's CPU seconds, plus Azurite's when the bench started it.</summary>
    private static string Cpu(ScenarioResult s) => s.CpuSeconds is not { } cpu
        ? "-"
        : s.StorageCpuSeconds is { } storage
            ? string.Create(CultureInfo.InvariantCulture, $"{cpu:0.0}+{storage:0.0}")
            : string.Create(CultureInfo.InvariantCulture, $"{cpu:0.0}");

    private static string Number(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Decimal units, as docs/OPERATIONS.md gives sizes: kB below 10 MB.</summary>
    private static string Size(long bytes) => bytes >= 10_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0} kB");

    private static string Megabytes(long? bytes) => bytes is { } b ? (b / 1_048_576.0).ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
