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

    private CliServices(ServiceProvider provider) => _provider = provider;

    /// <summary>Builds and validates the services; a bad setting throws <see cref="OptionsValidationException"/> naming it.</summary>
    public static CliServices Create(
        IReadOnlyDictionary<string, string?> overrides,
        IReadOnlyDictionary<string, string?>? environmentOverrides,
        TextWriter logWriter,
        LogLevel minimumLevel)
    {
        var builder = new ConfigurationBuilder().AddEnvironmentVariables();
        if (environmentOverrides is not null)
        {
            builder.AddInMemoryCollection(environmentOverrides);
        }

        var configuration = builder.AddInMemoryCollection(overrides).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging
            .SetMinimumLevel(minimumLevel)
            .AddProvider(new TextWriterLoggerProvider(logWriter, minimumLevel)));
        services.AddBlofinBackfill(configuration);

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        // What a host does at start: every option registered with ValidateOnStart is checked now.
        provider.GetService<IStartupValidator>()?.Validate();
        return new CliServices(provider);
    }

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
