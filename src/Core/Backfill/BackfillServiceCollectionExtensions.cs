using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Blofin.Backfill.Sync;

namespace Blofin.Backfill.Backfill;

/// <summary>Registers the backfill itself: options, parser, backfiller, queue, timer and handler.</summary>
internal static class BackfillServiceCollectionExtensions
{
    /// <summary>The top-level setting the queue trigger's binding reads (<c>%BackfillQueueName%</c>).</summary>
    public const string QueueNameSetting = "BackfillQueueName";

    internal static IServiceCollection AddBackfill(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<BackfillOptions>()
            .Bind(configuration.GetSection(BackfillOptions.SectionName))
            .Configure(options => options.QueueName = configuration[QueueNameSetting] ?? options.QueueName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BackfillOptions>, BackfillOptionsAnnotationsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BackfillOptions>, BackfillOptionsValidator>());

        services.TryAddSingleton<BackfillMessageParser>();
        services.TryAddSingleton<InstrumentCatalog>();
        services.TryAddSingleton<SymbolSource>();
        services.TryAddSingleton<SymbolBackfiller>();
        services.TryAddSingleton<BackfillQueue>();
        services.TryAddSingleton<BackfillScheduler>();
        services.TryAddSingleton<BackfillMessageHandler>();
        services.TryAddSingleton<BackfillQueueDrainer>();
        services.TryAddSingleton<CoverageReporter>();
        services.TryAddSingleton<CoveragePublisher>();
        services.TryAddSingleton<CandleVerifier>();
        services.TryAddSingleton<LeasedDatabaseFile>();
        services.TryAddSingleton<ICandleStore, BlobCandleStore>();
        return services;
    }
}
