using Blofin.Backfill.Backfill;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Export;
using Blofin.Backfill.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blofin.Backfill;

/// <summary>The one registration of the backfill's services, shared by Functions, CLI, benchmarks and tests.</summary>
public static class DependencyInjection
{
    /// <summary>Registers the exchange client, storage, blob sync and the backfill, with options bound
    /// from <paramref name="configuration"/> and validated when the host starts.</summary>
    public static IServiceCollection AddBlofinBackfill(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);

        services.AddBlofinExchange(configuration);
        services.AddBackfill(configuration);
        services.AddDatabaseBlob(configuration);
        services.AddExport();

        return services;
    }
}
