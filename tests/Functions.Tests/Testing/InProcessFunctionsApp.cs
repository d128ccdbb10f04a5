using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Blofin.Backfill.Testing;
using Blofin.Simulator;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Blofin.Backfill.Functions.Testing;

/// <summary>
/// The Functions app's DI container built as Program.cs builds it (<c>FunctionsApplication.CreateBuilder</c>,
/// then <c>AddBlofinBackfill</c>), not run: the functions' classes are activated from it as the worker
/// activates them. Around it: the simulator on loopback and Azurite, with a random container and queue, one
/// fake clock shared by the app and the simulator, and a temp cache folder; all disposed together.
/// </summary>
internal sealed class InProcessFunctionsApp : IAsyncDisposable
{
    /// <summary>Every test starts at the same instant, 30 s into a minute (so a forming candle exists).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 30, TimeSpan.Zero);

    private readonly IHost _host;
    private readonly TempDirectory _cache;

    private InProcessFunctionsApp(IHost host, BlofinSimulator simulator, FakeTimeProvider clock, TempDirectory cache, QueueServiceClient queues, BlobContainerClient container, string queueName)
    {
        _host = host;
        Simulator = simulator;
        Clock = clock;
        _cache = cache;
        Container = container;
        Queue = queues.GetQueueClient(queueName);
        PoisonQueue = queues.GetQueueClient(queueName + BackfillQueue.PoisonSuffix);
    }

    public BlofinSimulator Simulator { get; }

    public FakeTimeProvider Clock { get; }

    public BlobContainerClient Container { get; }

    public QueueClient Queue { get; }

    public QueueClient PoisonQueue { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts the simulator and builds the container; <paramref name="settings"/> override the defaults (app
    /// setting names with <c>:</c>).</summary>
    public static async Task<InProcessFunctionsApp> StartAsync(
        AzuriteFixture azurite,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<SimulatorOptions>? configureSimulator = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var connectionString = await azurite.GetConnectionStringAsync(cancellationToken);
        var clock = new FakeTimeProvider(Start);
        var options = SimulatorOptions.CreateDefault();
        configureSimulator?.Invoke(options);
        var simulator = await BlofinSimulator.StartAsync(options, clock, cancellationToken: cancellationToken);
        var cache = TempDirectory.Create();
        var containerName = AzuriteFixture.RandomName("fapp");
        var queueName = AzuriteFixture.RandomName("fapp");

        // As Program.cs: the worker's builder, then the one registration. The test's values come last, as
        // local.settings.json's do under Core Tools, and the fake clock replaces the system one.
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["BackfillQueueName"] = queueName,
            ["Blofin:BaseUrl"] = simulator.BaseUrl.ToString(),
            ["Backfill:Container"] = containerName,
            ["Backfill:CacheDirectory"] = cache.Path,
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddBlofinBackfill(builder.Configuration);
        builder.Services.AddSingleton<TimeProvider>(clock);
        var host = builder.Build();
        return new InProcessFunctionsApp(
            host, simulator, clock, cache, new QueueServiceClient(connectionString), new BlobContainerClient(connectionString, containerName), queueName);
    }

    /// <summary>A function class, activated from the container as the worker activates it.</summary>
    public T Activate<T>() => ActivatorUtilities.CreateInstance<T>(_host.Services);

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>The simulator's own candles at <paramref name="openTimesMs"/>, as the exchange serves them.</summary>
    public IReadOnlyList<Candle> Candles(string instId, IEnumerable<long> openTimesMs)
    {
        var candles = new List<Candle>();
        foreach (var ms in openTimesMs)
        {
            if (Simulator.Market.TryGetCandle(instId, "1m", ms, out var c))
            {
                candles.Add(new Candle(c.OpenTimeMs, c.Open, c.High, c.Low, c.Close, c.Volume, c.VolumeCurrency, c.VolumeQuote, IsConfirmed: true));
            }
        }

        return candles;
    }

    /// <summary>Downloads the database blob as it is now.</summary>
    public Task<DatabaseBlobCopy> DownloadDatabaseAsync() =>
        DatabaseBlobCopy.DownloadAsync(Container, "candles.sqlite", TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await Simulator.DisposeAsync();
        await Queue.DeleteIfExistsAsync(CancellationToken.None);
        await PoisonQueue.DeleteIfExistsAsync(CancellationToken.None);
        await Container.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        _cache.Dispose();
    }
}
