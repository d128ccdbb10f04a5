using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Blofin.Backfill.Bench;

/// <summary>The whole run: each scenario's figures, the two headline ratios and the machine.</summary>
internal sealed class BenchReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public required MachineInfo Machine { get; init; }

    public required string Command { get; init; }

    public string? StartedAtUtc { get; init; }

    public double LatencyMs { get; init; }

    /// <summary>Weeks of history the blob held before the steady tick (<c>--history-weeks</c>).</summary>
    public int HistoryWeeks { get; init; }

    public ScenarioResult? FullFill { get; set; }

    public ScenarioResult? Baseline { get; set; }

    public ScenarioResult? RateBound { get; set; }

    public ScenarioResult? SteadyTick { get; set; }

    public ScenarioResult? GapRepair { get; set; }

    /// <summary>Baseline wall time over full-fill wall time (target: at least 30).</summary>
    public double? SpeedupVsBaseline => FullFill is { WallSeconds: > 0 } fill && Baseline is { } baseline
        ? Math.Round(baseline.WallSeconds / fill.WallSeconds, 1)
        : null;

    /// <summary>The rate-bound fill's wall time over its exact floor (target: at most 1.15).</summary>
    public double? RatioToFloor => RateBound?.RatioToFloor;

    /// <summary>The steady tick's bytes with the block map against whole-file transfer (target at 8 weeks: at least
    /// 20x fewer).</summary>
    public DeltaSyncResult? DeltaSync => SteadyTick?.DeltaSync;

    [JsonIgnore]
    public IEnumerable<ScenarioResult> Scenarios =>
        new[] { FullFill, Baseline, RateBound, SteadyTick, GapRepair }.OfType<ScenarioResult>();

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

/// <summary>Where the run happened.</summary>
internal sealed record MachineInfo(int Cores, string Os, string DotNet, string Architecture, string Storage)
{
    /// <summary>The 1-minute load average when the run started and when it ended (Linux), since other work on
    /// the machine slows every figure.</summary>
    public string? LoadAverageAtStart { get; init; }

    public string? LoadAverageAtEnd { get; set; }

    public static MachineInfo Current(string storage) => new(
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.ProcessArchitecture.ToString(),
        storage)
    {
        LoadAverageAtStart = LoadAverage(),
    };

    public static string? LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? File.ReadAllText(path).Split(' ')[0] : null;
    }
}
