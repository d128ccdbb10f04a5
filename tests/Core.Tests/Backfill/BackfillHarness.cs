using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Blofin.Simulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Blofin.Backfill.Backfill;

/// <summary>The simulator on loopback, the real service registration pointed at it, one shared fake clock
/// and a real SQLite file in a temp folder (also the registered <see cref="ICandleStore"/>), with every log line
/// collected: what a backfill test needs, disposed together.</summary>
internal sealed class BackfillHarness : IAsyncDisposable
{
    /// <summary>Every test starts at the same instant, 30 s into a minute (so a forming candle exists).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 30, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly TempFolder _folder;

    private BackfillHarness(BlofinSimulator simulator, ServiceProvider services, FakeTimeProvider clock, TempFolder folder, LocalCandleStore store)
    {
        Simulator = simulator;
        _services = services;
        Clock = clock;
        _folder = folder;
        DatabasePath = store.Description;
        Store = store;
    }

    public BlofinSimulator Simulator { get; }

    public FakeTimeProvider Clock { get; }

    public string DatabasePath { get; }

    public LocalCandleStore Store { get; }

    public SymbolBackfiller Backfiller => _services.GetRequiredService<SymbolBackfiller>();

    /// <summary>Every log line written through the registered loggers.</summary>
    public FakeLogCollector Logs => _services.GetRequiredService<FakeLogCollector>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public static async Task<BackfillHarness> StartAsync(Action<SimulatorOptions>? configure = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var clock = new FakeTimeProvider(Start);
        var options = SimulatorOptions.CreateDefault();
        configure?.Invoke(options);
        var simulator = await BlofinSimulator.StartAsync(options, clock, cancellationToken: TestContext.Current.CancellationToken);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Blofin:BaseUrl"] = simulator.BaseUrl.ToString(),
                ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var folder = new TempFolder();
        var store = new LocalCandleStore(folder.File("candles.sqlite"));
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<ICandleStore>(store)
            .AddFakeLogging()
            .AddBlofinBackfill(configuration)
            .BuildServiceProvider();
        return new BackfillHarness(simulator, services, clock, folder, store);
    }

    public static BackfillRequest Request(string instId, int lookbackHours = 168) =>
        new(instId, Bar.OneMinute, lookbackHours, Trigger: BackfillTriggers.Cli);

    /// <summary>Stores the simulator's own candles at <paramref name="openTimesMs"/> (as an earlier run would have).</summary>
    public async Task SeedAsync(string instId, IEnumerable<long> openTimesMs)
    {
        var candles = new List<Candle>();
        foreach (var ms in openTimesMs)
        {
            if (Simulator.Market.TryGetCandle(instId, "1m", ms, out var c))
            {
                candles.Add(new Candle(c.OpenTimeMs, c.Open, c.High, c.Low, c.Close, c.Volume, c.VolumeCurrency, c.VolumeQuote, IsConfirmed: true));
            }
        }

        await using var database = await CandleDatabase.OpenAsync(DatabasePath, TestContext.Current.CancellationToken);
        await database.InsertMissingAsync(instId, Bar.OneMinute, candles, TestContext.Current.CancellationToken);
    }

    public async Task<SymbolCoverage> CoverageAsync(string instId, Coverage.CoverageWindow window)
    {
        await using var database = await CandleDatabase.OpenReadOnlyAsync(DatabasePath, TestContext.Current.CancellationToken);
        return await database.GetCoverageAsync(instId, Bar.OneMinute, window, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await _services.DisposeAsync();
        await Simulator.DisposeAsync();
        _folder.Dispose();
    }
}
