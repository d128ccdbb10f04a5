using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blofin.Backfill.Export;

/// <summary>Registers the export.</summary>
internal static class ExportServiceCollectionExtensions
{
    internal static IServiceCollection AddExport(this IServiceCollection services)
    {
        services.TryAddSingleton<CandleExporter>();
        services.TryAddSingleton<CandleDownloadHandler>();
        return services;
    }
}
