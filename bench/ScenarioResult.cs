using System.Text.Json.Serialization;

namespace Blofin.Backfill.Bench;

/// <summary>What one scenario measured; the JSON document holds one per scenario (camelCase, nulls left out).</summary>
internal sealed class ScenarioResult
{
    public required string Name { get; init; }

    public int Symbols { get; init; }

    /// <summary>Candle requests the exchange received (its own log).</summary>
    public int Requests { get; set; }

    /// <summary>The request count the scenario must hit exactly; null when there is no such target.</summary>
    public int? ExpectedRequests { get; set; }

    /// <summary>Instrument-list requests (one per worker instance and hour).</summary>
    public int InstrumentRequests { get; set; }

    public double WallSeconds { get; set; }

    /// <summary>CPU seconds this process (workers and simulator) used; not inflated by the machine's other load.</summary>
    public double? CpuSeconds { get; set; }

    /// <summary>CPU seconds the bench's Azurite used (null when the bench did not start it).</summary>
    public double? StorageCpuSeconds { get; set; }

    public long RowsInserted { get; set; }

    public double RowsPerSecond => WallSeconds > 0 ? Math.Round(RowsInserted / WallSeconds) : 0;

    public long? BytesDownloaded { get; set; }

    public long? BytesUploaded { get; set; }

    public int? MergeCycles { get; set; }

    public int? LeaseWaits { get; set; }

    /// <summary>Replies with HTTP 429 or body code 429; must be 0.</summary>
    public int RateLimited { get; set; }

    /// <summary>Replies with HTTP 403 (a ban); must be 0.</summary>
    public int Banned { get; set; }

    /// <summary>From the first to the last market request the exchange received.</summary>
    public double? RequestSpanSeconds { get; set; }

    public int? WorkerInstances { get; set; }

    public int? DrainersPerInstance { get; set; }

    public double? FloorSeconds { get; set; }

    public double? RatioToFloor => FloorSeconds is > 0 ? Math.Round(WallSeconds / FloorSeconds.Value, 3) : null;

    /// <summary>The rate gate alone (no exchange, no storage): when it grants the last of as many turns as the fill
    /// sent, plus one latency; the part of the floor the gate itself costs.</summary>
    public double? GateOnlySeconds { get; set; }

    public double? GateRatioToFloor => FloorSeconds is > 0 && GateOnlySeconds is { } gate ? Math.Round(gate / FloorSeconds.Value, 3) : null;

    public double? SafetyMargin { get; set; }

    public string? RateLimits { get; set; }

    /// <summary>The most requests the exchange received in any of its windows (short, long).</summary>
    public int[]? BusiestWindows { get; set; }

    public int? OptimalRequests { get; set; }

    public int? GapsPerSymbol { get; set; }

    public long? RowsDeleted { get; set; }

    public double? AdvancedClockMinutes { get; set; }

    /// <summary>Building the older weeks of <c>--history-weeks</c> before the steady tick (not part of its wall time).</summary>
    public double? HistorySeconds { get; set; }

    /// <summary>The steady tick's bytes with the block map and whole-file; the JSON has it at the top level.</summary>
    [JsonIgnore]
    public DeltaSyncResult? DeltaSync { get; set; }

    public string? Notes { get; set; }

    /// <summary>Every check that failed; empty when the scenario met its request targets.</summary>
    public List<string> Problems { get; } = [];
}
