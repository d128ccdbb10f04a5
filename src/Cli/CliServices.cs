using Blofin.Backfill.Backfill;
using Blofin.Backfill.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Cli;

/// <summary>The CLI's container: the same <c>AddBlofinBackfill</c> registration the Functions app uses,
/// configured from the environment (the app settings' names) and the command's options.</summary>
internal sealed class CliServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IDisposable> _owned = [];

    private CliServices(ServiceProvider provider) => _provider = provider;

    /// <summary>Builds the services and validates every option, as a host does at start.</summary>
    /// <param name="settings">Configuration from the command line; wins over <paramref name="environmentOverrides"/>,
    /// which win over the process environment.</param>
    /// <param name="timeProvider">The clock (tests pin it); the system clock when null.</param>
    /// <exception cref="OptionsValidationException">A setting is invalid; the failures name it.</exception>
    public static CliServices Create(
        IReadOnlyDictionary<string, string?> settings,
        IReadOnlyDictionary<string, string?>? environmentOverrides,
        TimeProvider? timeProvider,
        CliConsole console,
        bool verbose)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(environmentOverrides ?? new Dictionary<string, string?>())
            .AddInMemoryCollection(settings)
            .Build();

        var services = new ServiceCollection();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging
            .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)

            // Polly logs every retry as a warning, with the exception; the run's table already says what failed.
            .AddFilter("Polly", verbose ? LogLevel.Warning : LogLevel.None)

            // HttpClient logs each request's start and end at Information: noise even when verbose.
            .AddFilter("System.Net.Http", LogLevel.Warning)
            .AddProvider(new TextWriterLoggerProvider(console, includeStackTraces: verbose)));
        services.AddBlofinBackfill(configuration);

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            // What a host does at start: every option registered with ValidateOnStart is checked now.
            provider.GetService<IStartupValidator>()?.Validate();
        }
        catch
        {
            provider.Dispose();
            throw;
        }

        return new CliServices(provider);
    }

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>A service that needs Azure Storage; a missing or unusable <c>AzureWebJobsStorage</c> setting is a
    /// usage error naming it, not a crash.</summary>
    public T GetWithStorage<T>()
        where T : notnull
    {
        try
        {
            // StorageClients is built on first use and throws InvalidOperationException for a connection it cannot use.
            Get<StorageClients>();
        }
        catch (InvalidOperationException ex)
        {
            throw new CliUsageException("invalid setting: " + CliFailure.FirstLine(ex.Message));
        }

        return Get<T>();
    }

    /// <summary>Opens the store <c>--db</c> or <c>--blob</c> names (the local default file when neither) and reads
    /// it once, so a file that is not a candle database stops the command before any work.</summary>
    /// <param name="mustExist">A report on a local file that does not exist is an error, not an empty report.</param>
    /// <exception cref="Storage.CandleDatabaseException">The file is not a usable candle database.</exception>
    public async Task<ICandleStore> OpenStoreAsync(string? path, bool blob, bool mustExist, CancellationToken cancellationToken)
    {
        ICandleStore store;
        if (blob)
        {
            store = path is null
                ? GetWithStorage<ICandleStore>()
                : throw new CliUsageException("give either --db or --blob, not both.");
        }
        else
        {
            path ??= CliOptions.DefaultDatabasePath;
            if (mustExist && !File.Exists(path))
            {
                throw new CliUsageException($"no database at '{Path.GetFullPath(path)}' (give --db PATH, or --blob for the database in Azure Storage).");
            }

            if (Directory.Exists(path))
            {
                throw new CliUsageException($"--db '{Path.GetFullPath(path)}' is a folder; give the database file's path.");
            }

            var local = new LocalCandleStore(path);
            _owned.Add(local);
            store = local;
        }

        await store.ReadAsync((_, _) => Task.FromResult(true), cancellationToken);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        await _provider.DisposeAsync();
    }
}
