using Blofin.Simulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Blofin.Backfill.Exchange;

/// <summary>A simulator on loopback and a <see cref="BlofinClient"/> registered exactly as production registers it,
/// pointed at the simulator, both on one <see cref="FakeTimeProvider"/>.</summary>
internal sealed class ExchangeHarness : IAsyncDisposable
{
    /// <summary>Mid-minute, so the forming candle is part-way through.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 12, 34, 30, TimeSpan.Zero);

    private ExchangeHarness(FakeTimeProvider time, BlofinSimulator simulator, ServiceProvider services)
    {
        Time = time;
        Simulator = simulator;
        Services = services;
        Client = services.GetRequiredService<BlofinClient>();
        Gate = services.GetRequiredService<BlofinRateGate>();
        Logs = services.GetFakeLogCollector();
    }

    public FakeTimeProvider Time { get; }

    public BlofinSimulator Simulator { get; }

    public ServiceProvider Services { get; }

    public BlofinClient Client { get; }

    public BlofinRateGate Gate { get; }

    public FakeLogCollector Logs { get; }

    public SimulatedMarket Market => Simulator.Market;

    /// <param name="settings">Overrides of the <c>Blofin</c> section, e.g. <c>["MaxRetries"] = "0"</c>.</param>
    /// <param name="wire">A handler placed last, just before the connection (e.g. <see cref="SendProbe.CreateHandler"/>).</param>
    public static async Task<ExchangeHarness> StartAsync(
        Action<SimulatorOptions>? configureSimulator = null,
        IReadOnlyDictionary<string, string>? settings = null,
        DateTimeOffset? start = null,
        Func<DelegatingHandler>? wire = null)
    {
        var time = new FakeTimeProvider(start ?? Start);
        var options = SimulatorOptions.CreateDefault();
        configureSimulator?.Invoke(options);
        var simulator = await BlofinSimulator.StartAsync(options, time, cancellationToken: TestContext.Current.CancellationToken);

        var values = new Dictionary<string, string?>
        {
            ["Blofin:BaseUrl"] = simulator.BaseUrl.ToString(),
            ["Blofin:RetryBaseDelay"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            values[$"Blofin:{key}"] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var collection = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug))
            .AddFakeLogging()
            .AddBlofinExchange(configuration);
        if (wire is not null)
        {
            // The typed client's name; handlers added after the registration's own go innermost.
            collection.AddHttpClient(nameof(BlofinClient)).AddHttpMessageHandler(wire);
        }

        var services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new ExchangeHarness(time, simulator, services);
    }

    /// <summary>Advances the fake clock in <paramref name="step"/>s, yielding real time in between, until the task
    /// ends (for waits on the clock: retry delays, attempt timeouts, slow replies).</summary>
    public async Task<T> DriveAsync<T>(Task<T> task, TimeSpan step, TimeSpan? limit = null)
    {
        var advanced = TimeSpan.Zero;
        while (!task.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(2), TestContext.Current.CancellationToken);
            if (task.IsCompleted)
            {
                break;
            }

            Time.Advance(step);
            advanced += step;
            Assert.True(advanced <= (limit ?? TimeSpan.FromHours(2)), $"The task was still running after the clock moved {advanced}.");
        }

        return await task;
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 2_500 && !condition(); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(2), TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), $"Timed out waiting until {what}.");
    }

    public async ValueTask DisposeAsync()
    {
        // Callers a failed test left waiting at the gate are released first; then the clock is moved while the
        // container is disposed, because Polly waits on the clock for executions still in flight.
        Gate.Dispose();
        var disposal = Services.DisposeAsync().AsTask();
        for (var i = 0; i < 1_000 && !disposal.IsCompleted; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1), CancellationToken.None);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        await disposal;
        await Simulator.DisposeAsync();
    }
}
