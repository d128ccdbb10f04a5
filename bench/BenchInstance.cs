using System.Globalization;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Bench;

/// <summary>One worker instance as the Functions app would run it: its own container of the real registration
/// (so its own rate gate, instrument list and <see cref="LeasedDatabaseFile"/>), its own cache folder, and
/// <see cref="BackfillQueueDrainer"/>s in place of the queue trigger.</summary>
internal sealed class BenchInstance : IAsyncDisposable
{
    /// <summary>Names the workers' log level (default Warning), e.g. <c>Information</c> to see every merge cycle.</summary>
    public const string LogLevelVariable = "BLOFIN_BENCH_LOG";

    private readonly ServiceProvider _services;

    private BenchInstance(ServiceProvider services) => _services = services;

    public BackfillScheduler Scheduler => _services.GetRequiredService<BackfillScheduler>();

    public BackfillQueueDrainer Drainer => _services.GetRequiredService<BackfillQueueDrainer>();

    public LeasedDatabaseFile Database => _services.GetRequiredService<LeasedDatabaseFile>();

    public static BenchInstance Create(BenchTarget target, string cacheDirectory, TimeProvider clock, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = target.StorageConnectionString,
            ["BackfillQueueName"] = target.QueueName,
            ["Blofin:BaseUrl"] = target.ExchangeUrl.ToString(),
            ["Blofin:ShortWindowLimit"] = target.ShortWindow.Limit.ToString(CultureInfo.InvariantCulture),
            ["Blofin:ShortWindow"] = target.ShortWindow.Window.ToString("c", CultureInfo.InvariantCulture),
            ["Blofin:LongWindowLimit"] = target.LongWindow.Limit.ToString(CultureInfo.InvariantCulture),
            ["Blofin:LongWindow"] = target.LongWindow.Window.ToString("c", CultureInfo.InvariantCulture),
            ["Blofin:SafetyMargin"] = target.SafetyMargin.ToString(CultureInfo.InvariantCulture),
            // The simulator shares this machine's cores: on a busy machine a page can take longer than the default
            // 30 s to be served, and a retry would be counted as a request the planner never asked for.
            ["Blofin:AttemptTimeout"] = "00:02:00",
            ["Backfill:Symbols"] = string.Join(',', target.Symbols),
            ["Backfill:LookbackHours"] = target.LookbackHours.ToString(CultureInfo.InvariantCulture),
            ["Backfill:EnqueueSpread"] = "00:00:00",
            ["Backfill:Container"] = target.Container,
            ["Backfill:CacheDirectory"] = cacheDirectory,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(clock)
            .AddLogging(logging => logging
                .SetMinimumLevel(Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable(LogLevelVariable), out var level) ? level : LogLevel.Warning)
                .AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "HH:mm:ss.fff ";
                })
                .AddFilter("Microsoft", LogLevel.Error)
                .AddFilter("System", LogLevel.Error)
                .AddFilter("Polly", LogLevel.Error))
            .Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddBlofinBackfill(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        // What a host does at start: every option registered with ValidateOnStart is checked now.
        services.GetService<IStartupValidator>()?.Validate();
        return new BenchInstance(services);
    }

    /// <summary>Runs <paramref name="drainers"/> drain loops until the queue is empty (each like the CLI's <c>work --until-empty</c>).</summary>
    public Task<QueueDrainSummary>[] Drain(int drainers, CancellationToken cancellationToken)
    {
        var options = new QueueDrainOptions
        {
            BatchSize = 8,
            UntilEmpty = true,
            PollInterval = TimeSpan.FromMilliseconds(50),
            RetryDelay = TimeSpan.FromSeconds(1),
        };
        return [.. Enumerable.Range(0, drainers).Select(_ => Task.Run(() => Drainer.DrainAsync(options, progress: null, cancellationToken), cancellationToken))];
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
