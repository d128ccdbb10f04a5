using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Blofin.Backfill.Testing;
using Blofin.Simulator;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Cli;

/// <summary>The command line run in-process against the simulator on loopback: a pinned clock shared by both, a temp
/// folder for the database, and on request Azurite with a queue and a container of the test's own; disposed together.</summary>
internal sealed class CliHarness : IAsyncDisposable
{
    /// <summary>Every test starts one second into a minute (a forming candle exists, and the minute lasts the test).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 1, TimeSpan.Zero);

    private readonly Dictionary<string, string?> _settings;
    private QueueServiceClient? _queues;
    private TestBlobContainer? _container;

    private CliHarness(BlofinSimulator simulator, PinnedClock clock, TempDirectory folder)
    {
        Simulator = simulator;
        Clock = clock;
        Folder = folder;
        _settings = new Dictionary<string, string?>
        {
            ["Blofin:BaseUrl"] = simulator.BaseUrl.ToString(),

            // Whatever the machine's environment says, these tests never reach a real storage account.
            ["AzureWebJobsStorage"] = string.Empty,
            ["Backfill:CacheDirectory"] = folder.Combine("cache"),
        };
    }

    public BlofinSimulator Simulator { get; }

    public PinnedClock Clock { get; }

    public TempDirectory Folder { get; }

    /// <summary>The local database file the tests give to <c>--db</c>.</summary>
    public string DatabasePath => Folder.Combine("candles.sqlite");

    /// <summary>The test's own backfill queue (after <see cref="UseAzuriteAsync"/>).</summary>
    public QueueClient Queue => _queues?.GetQueueClient(QueueName) ?? throw new InvalidOperationException("Call UseAzuriteAsync first.");

    public string QueueName { get; } = AzuriteFixture.RandomName("cli");

    /// <summary>The test's own blob container, holding the database blob (after <see cref="UseAzuriteAsync"/>).</summary>
    public BlobContainerClient BlobContainer => _container?.Client ?? throw new InvalidOperationException("Call UseAzuriteAsync first.");

    /// <summary>The last minute the exchange has closed when a test starts (the window's end).</summary>
    public static long LastClosedMinuteMs => (Start.ToUnixTimeMilliseconds() / 60_000 * 60_000) - 60_000;

    public static async Task<CliHarness> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var clock = new PinnedClock(Start);
        var options = SimulatorOptions.CreateDefault();
        configure?.Invoke(options);
        var simulator = await BlofinSimulator.StartAsync(options, clock, cancellationToken: TestContext.Current.CancellationToken);
        return new CliHarness(simulator, clock, TempDirectory.Create("blofin-cli-test-"));
    }

    /// <summary>Points <c>AzureWebJobsStorage</c> at Azurite, with a queue name and a blob container of this test's own.</summary>
    public async Task UseAzuriteAsync(AzuriteFixture azurite)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var cancellationToken = TestContext.Current.CancellationToken;
        _settings["AzureWebJobsStorage"] = await azurite.GetConnectionStringAsync(cancellationToken);
        _queues = await azurite.GetQueueServiceClientAsync(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None }, cancellationToken);
        _container = await azurite.ReserveContainerAsync(cancellationToken);
        _settings["BackfillQueueName"] = QueueName;
        _settings["Backfill:Container"] = _container.Name;
    }

    /// <summary>Sets a configuration value as the environment would (<c>Backfill:EnqueueSpread</c>).</summary>
    public void Set(string key, string? value) => _settings[key] = value;

    /// <summary>Runs one command line with standard output redirected (plain lines).</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunAsync(isTerminal: false, args);

    /// <summary>Runs one command line as if standard output were a terminal (tables and progress).</summary>
    public Task<CliResult> RunOnTerminalAsync(params string[] args) => RunAsync(isTerminal: true, args);

    /// <summary>Rows stored for <paramref name="instId"/> in the local database.</summary>
    public long CountRows(string instId)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM candles WHERE inst_id = $instId";
        command.Parameters.AddWithValue("$instId", instId);
        return (long)command.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_queues is not null)
        {
            await _queues.GetQueueClient(QueueName).DeleteIfExistsAsync();
            await _queues.GetQueueClient(QueueName + "-poison").DeleteIfExistsAsync();
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        await Simulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Folder.Dispose();
    }

    private async Task<CliResult> RunAsync(bool isTerminal, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error, isTerminal);
        var exitCode = await CliApplication.RunAsync(args, console, _settings, Clock, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
