using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Sync;

/// <summary>Registers the database blob: its options, the storage clients and <see cref="LeasedDatabaseFile"/>.</summary>
internal static class DatabaseBlobServiceCollectionExtensions
{
    /// <param name="configuration">The root configuration: <c>AzureWebJobsStorage</c> is read from its top
    /// level (as the Functions host reads it), the options from its <c>Backfill</c> section.</param>
    internal static IServiceCollection AddDatabaseBlob(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptionsWithValidateOnStart<DatabaseBlobOptions>()
            .Bind(configuration.GetSection(DatabaseBlobOptions.SectionName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseBlobOptions>, DatabaseBlobOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatabaseBlobOptions>, DatabaseBlobOptionsRules>());

        // Built on first use, so hosts that never touch storage need no connection.
        services.TryAddSingleton(_ => new StorageClients(configuration));
        services.TryAddSingleton<LeasedDatabaseFile>();
        return services;
    }
}
