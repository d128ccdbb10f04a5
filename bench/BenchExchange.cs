using System.Diagnostics;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Sync;
using Blofin.Simulator;

namespace Blofin.Backfill.Bench;

/// <summary>One simulated exchange with the workers pointed at it: the simulator on its own clock, the workers'
/// clock kept level with it, the target (storage, queue, symbols, budget) and the instances' cache folders.</summary>
internal sealed class BenchExchange : IAsyncDisposable
{
    private readonly CpuMeter _cpu;

    private BenchExchange(BlofinSimulator simulator, BenchClock clock, BenchTarget target, string cacheRoot, CpuMeter cpu)
    {
        _cpu = cpu;
        Simulator = simulator;
        Clock = clock;
        Target = target;
        CacheRoot = cacheRoot;
    }

    public BlofinSimulator Simulator { get; }

    public BenchClock Clock { get; }

    public BenchTarget Target { get; }

    public string CacheRoot { get; }

    /// <summary>Starts a simulator listing <paramref name="symbols"/> (the default instruments first, then made-up
    /// ones) with <paramref name="configure"/> applied.</summary>
    public static async Task<BenchExchange> StartAsync(
        int symbols,
        TimeSpan latency,
        Action<SimulatorOptions> configure,
        Func<Uri, IReadOnlyList<string>, BenchTarget> target,
        string cacheRoot,
        CpuMeter cpu,
        CancellationToken cancellationToken)
    {
        var options = SimulatorOptions.CreateDefault();
        var names = PrepareInstruments(options, symbols);
        options.Latency = latency;
        configure(options);

        // Started without a TimeProvider: the simulator runs on its own clock, which AdvanceClock moves.
        var simulator = await BlofinSimulator.StartAsync(options, timeProvider: null, port: 0, cancellationToken);
        return new BenchExchange(simulator, new BenchClock(), target(simulator.BaseUrl, names), cacheRoot, cpu);
    }

    /// <summary>Moves the exchange's clock and the workers' clock forward together.</summary>
    public void AdvanceClock(TimeSpan by)
    {
        Simulator.AdvanceClock(by);
        Clock.Advance(by);
    }

    /// <summary>Worker instance <paramref name="index"/> (its cache folder kept between ticks), pointed at
    /// <paramref name="target"/> (default <see cref="Target"/>; the steady tick passes one whose blob endpoint is a
    /// counting proxy).</summary>
    public BenchInstance CreateInstance(int index, BenchTarget? target = null) =>
        BenchInstance.Create(target ?? Target, CacheFolder(index), Clock);

    /// <summary>Drops instance <paramref name="index"/>'s cached copy and downloads the blob's current version.</summary>
    public async Task RefreshCacheAsync(int index, CancellationToken cancellationToken)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(CacheFolder(index)))
        {
            Directory.Delete(CacheFolder(index), recursive: true);
        }

        await using var instance = CreateInstance(index);
        await instance.Database.GetSnapshotPathAsync(cancellationToken);
    }

    private string CacheFolder(int index) => Path.Combine(CacheRoot, $"instance-{index}");

    /// <summary>One timer tick and its drain: <paramref name="instances"/> fresh worker instances (their cache folders
    /// kept from earlier ticks), <paramref name="drainers"/> drain loops each, timed from the enqueue to the last
    /// drainer finding the queue empty.</summary>
    public Task<TickOutcome> RunTickAsync(int instances, int drainers, CancellationToken cancellationToken) =>
        RunTickAsync(instances, drainers, Target, cancellationToken);

    /// <inheritdoc cref="RunTickAsync(int, int, CancellationToken)"/>
    public async Task<TickOutcome> RunTickAsync(int instances, int drainers, BenchTarget target, CancellationToken cancellationToken)
    {
        var workers = Enumerable.Range(0, instances).Select(i => CreateInstance(i, target)).ToArray();
        try
        {
            Simulator.ClearRequests();
            var cpuBefore = _cpu.Read();
            var wall = Stopwatch.StartNew();
            await workers[0].Scheduler.EnqueueAsync(BackfillTriggers.Timer, isPastDue: false, cancellationToken);
            var drains = await Task.WhenAll(workers.SelectMany(w => w.Drain(drainers, cancellationToken)));
            wall.Stop();
            var cpuAfter = _cpu.Read();
            var totals = workers.Select(w => w.Database.Totals).Aggregate(Add);
            return new TickOutcome(wall.Elapsed, drains, totals, Simulator.Requests)
            {
                Cpu = cpuAfter.Bench - cpuBefore.Bench,
                StorageCpu = cpuAfter.Storage - cpuBefore.Storage,
            };
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    public ValueTask DisposeAsync() => Simulator.DisposeAsync();

    /// <summary>Keeps the 32 default instruments listed long ago and live, and adds made-up ones up to
    /// <paramref name="count"/>; returns the symbols to fill.</summary>
    private static List<string> PrepareInstruments(SimulatorOptions options, int count)
    {
        var names = options.Instruments
            .Where(i => i.State == "live" && i.ListedAgo is null)
            .Select(i => i.InstId)
            .Take(count)
            .ToList();
        for (var n = 1; names.Count < count; n++)
        {
            var instId = $"BENCH{n:000}-USDT";
            options.Instruments.Add(new SimulatedInstrument(instId, 10m + n, 0.001m, 1m) { QuoteVolumePerMinute = 50_000m });
            names.Add(instId);
        }

        return names;
    }

    private static DatabaseSyncTotals Add(DatabaseSyncTotals a, DatabaseSyncTotals b) => new(
        a.Cycles + b.Cycles,
        a.Merges + b.Merges,
        a.Failed + b.Failed,
        a.Attempts + b.Attempts,
        a.LeaseWaits + b.LeaseWaits,
        a.BytesDownloaded + b.BytesDownloaded,
        a.BytesUploaded + b.BytesUploaded,
        a.BlocksStaged + b.BlocksStaged,
        a.BlocksReused + b.BlocksReused);
}
