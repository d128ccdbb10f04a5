using Blofin.Backfill.Backfill;
using Blofin.Backfill.Sync;
using Blofin.Simulator;

namespace Blofin.Backfill.Bench;

/// <summary>What one tick (enqueue, then every drainer until the queue is empty) did, as the workers and the
/// exchange saw it.</summary>
internal sealed record TickOutcome(
    TimeSpan Wall,
    IReadOnlyList<QueueDrainSummary> Drains,
    DatabaseSyncTotals Sync,
    IReadOnlyList<SimulatorRequest> ExchangeLog)
{
    /// <summary>CPU time this process (workers and simulator) used during the tick.</summary>
    public TimeSpan Cpu { get; init; }

    /// <summary>CPU time the bench's Azurite used during the tick; null when the bench did not start it.</summary>
    public TimeSpan? StorageCpu { get; init; }

    public IEnumerable<BackfillResult> Results => Drains.SelectMany(d => d.Results);

    public int Poisoned => Drains.Sum(d => d.Poisoned);

    public int Retried => Drains.Sum(d => d.Retried);

    public int CandleRequests => ExchangeLog.Count(r => r.IsCandles);

    public int CandleRequestsFor(string instId) => ExchangeLog.Count(r => r.IsCandles && r.InstId == instId);

    public int InstrumentRequests => ExchangeLog.Count(r => r.Path.EndsWith("/instruments", StringComparison.Ordinal));

    public int RateLimited => ExchangeLog.Count(r => r.StatusCode == 429 || r.Code == "429");

    public int Banned => ExchangeLog.Count(r => r.StatusCode == 403);

    public TimeSpan RequestSpan => ExchangeLog.Count < 2
        ? TimeSpan.Zero
        : ExchangeLog.Max(r => r.ReceivedAtUtc) - ExchangeLog.Min(r => r.ReceivedAtUtc);

    /// <summary>Fills in the figures every scenario reports.</summary>
    public ScenarioResult ToResult(string name, int symbols, int instances, int drainers) => new()
    {
        Name = name,
        Symbols = symbols,
        Requests = CandleRequests,
        InstrumentRequests = InstrumentRequests,
        WallSeconds = Math.Round(Wall.TotalSeconds, 3),
        CpuSeconds = Math.Round(Cpu.TotalSeconds, 1),
        StorageCpuSeconds = StorageCpu is { } storage ? Math.Round(storage.TotalSeconds, 1) : null,
        RowsInserted = Results.Sum(r => (long)r.Inserted),
        BytesDownloaded = Sync.BytesDownloaded,
        BytesUploaded = Sync.BytesUploaded,
        MergeCycles = Sync.Cycles,
        LeaseWaits = Sync.LeaseWaits,
        RateLimited = RateLimited,
        Banned = Banned,
        RequestSpanSeconds = Math.Round(RequestSpan.TotalSeconds, 3),
        WorkerInstances = instances,
        DrainersPerInstance = drainers,
    };
}
