using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.FunctionsHost;
using Blofin.Backfill.Testing;
using Blofin.Simulator;

namespace Blofin.Backfill.Functions.Testing;

/// <summary>
/// One real worker (src/Functions' build output) for a test class, started by <see cref="FunctionsTestHost"/>
/// with local.settings.example.json's Values as its environment, as Core Tools exports them. Only what must
/// point at the test's own services is changed: storage (Azurite), Blofin (the simulator on loopback, system
/// clock), a random container and queue, a short window, no enqueue spread; each changed key must exist in
/// the example file, which proves the file is complete.
/// </summary>
public sealed class ExampleSettingsWorker(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>The window the worker keeps complete here: a day, so a symbol costs two pages.</summary>
    public const int LookbackHours = 24;

    private readonly TempDirectory _cache = TempDirectory.Create();
    private FunctionsTestHost? _host;
    private BlofinSimulator? _simulator;

    public FunctionsTestHost Host => _host ?? throw new InvalidOperationException("The worker has not started.");

    public BlofinSimulator Simulator => _simulator ?? throw new InvalidOperationException("The simulator has not started.");

    /// <summary>local.settings.example.json's Values as the file has them.</summary>
    public IReadOnlyDictionary<string, string?> Example { get; } = LocalSettings.ReadValues(Path.Combine(BuildOutput.RepositoryRoot, "local.settings.example.json"));

    public BlobContainerClient Container { get; private set; } = null!;

    public QueueClient Queue { get; private set; } = null!;

    public QueueClient PoisonQueue { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var connectionString = await azurite.GetConnectionStringAsync(cancellationToken);
        _simulator = await BlofinSimulator.StartAsync(SimulatorOptions.CreateDefault(), cancellationToken: cancellationToken);
        var containerName = AzuriteFixture.RandomName("fhost");
        var queueName = AzuriteFixture.RandomName("fhost");
        Container = new BlobContainerClient(connectionString, containerName);
        Queue = new QueueClient(connectionString, queueName);
        PoisonQueue = new QueueClient(connectionString, queueName + BackfillQueue.PoisonSuffix);

        var settings = new Dictionary<string, string?>(Example, StringComparer.Ordinal);
        foreach (var (name, value) in new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["Blofin__BaseUrl"] = _simulator.BaseUrl.ToString(),
            ["Backfill__Container"] = containerName,
            ["BackfillQueueName"] = queueName,
            ["Backfill__LookbackHours"] = LookbackHours.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Backfill__EnqueueSpread"] = "00:00:00",
        })
        {
            Assert.True(settings.ContainsKey(name), $"local.settings.example.json has no {name}.");
            settings[name] = value;
        }

        // Not an app setting a person needs: the local copy of the database goes in the test's own folder.
        settings["Backfill__CacheDirectory"] = _cache.Path;
        _host = await FunctionsTestHost.StartAsync(BuildOutput.FunctionsApp, settings, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        if (Queue is not null)
        {
            await Queue.DeleteIfExistsAsync(CancellationToken.None);
            await PoisonQueue.DeleteIfExistsAsync(CancellationToken.None);
            await Container.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }

        _cache.Dispose();
    }
}
