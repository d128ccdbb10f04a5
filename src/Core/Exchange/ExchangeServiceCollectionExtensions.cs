using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Blofin.Backfill.Exchange;

/// <summary>Registers the Blofin client, its options and its handlers.</summary>
internal static class ExchangeServiceCollectionExtensions
{
    /// <summary>Set on a call's resilience context once one of its attempts has timed out.</summary>
    private static readonly ResiliencePropertyKey<bool> TimedOutBefore = new("Blofin.AttemptTimedOut");

    /// <summary>Adds <see cref="BlofinClient"/> as a typed HTTP client, with <see cref="BlofinOptions"/> bound from the
    /// <c>Blofin</c> section and validated when the host starts.</summary>
    /// <remarks>Handlers, outermost first: retry (5xx, body code 500, connection failures, unreadable bodies; a timeout
    /// once) - rate gate (every attempt waits its turn and holds its place until it ends) - attempt timeout (starts
    /// after the gate, so queueing never times out) - response handler (reads the body, throws typed exceptions,
    /// pauses the gate on 429/403).</remarks>
    internal static IServiceCollection AddBlofinExchange(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<BlofinOptions>()
            .Bind(configuration.GetSection(BlofinOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BlofinOptions>, BlofinOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BlofinOptions>, BlofinOptionsRules>());

        services.TryAddSingleton<BlofinRateGate>();
        services.TryAddTransient<BlofinRateGateHandler>();
        services.TryAddTransient<BlofinResponseHandler>();

        var client = services.AddHttpClient<BlofinClient>((provider, client) =>
        {
            client.BaseAddress = provider.GetRequiredService<IOptions<BlofinOptions>>().Value.BaseUrl;
            client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            // Waiting at the rate gate can take minutes; each attempt has its own timeout instead.
            client.Timeout = Timeout.InfiniteTimeSpan;
        });
        client.AddResilienceHandler("blofin-retry", ConfigureRetry);
        client.AddHttpMessageHandler<BlofinRateGateHandler>();
        client.AddResilienceHandler("blofin-attempt-timeout", ConfigureAttemptTimeout);
        client.AddHttpMessageHandler<BlofinResponseHandler>();

        return services;
    }

    /// <summary><c>blofin-backfill/1.2.3 (pid 4242)</c>: tells an exchange operator which program and which process
    /// sent a request (the process ID tells apart the workers behind one IP).</summary>
    internal static string UserAgent { get; } = string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"blofin-backfill/{typeof(BlofinClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"} (pid {Environment.ProcessId})");

    private static void ConfigureRetry(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<BlofinOptions>>().Value;
        builder.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
        if (options.MaxRetries == 0)
        {
            return;
        }

        builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxRetries,
            Delay = options.RetryBaseDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            MaxDelay = TimeSpan.FromMinutes(1),
            ShouldHandle = static args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context)),
        });
    }

    private static void ConfigureAttemptTimeout(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<BlofinOptions>>().Value;
        builder.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
        builder.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>Whether the attempt that failed with <paramref name="exception"/> is tried again: any transient failure,
    /// but a timed-out attempt only once per call.</summary>
    /// <remarks>A reply later than <see cref="BlofinOptions.AttemptTimeout"/> most often means a slow exchange or a
    /// starved machine, not a lost request, and the next attempt meets the same slowness: retrying every timeout
    /// multiplied the traffic when things were slow (514 requests served for 256 pages on a starved machine), and an
    /// abandoned attempt still holds its place in the exchange's windows. One retry still cures a connection that
    /// died silently; the second timeout fails the call, and the caller's own retry (the queue's redelivery) decides
    /// when to come back.</remarks>
    internal static bool ShouldRetry(Exception? exception, ResilienceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (exception is not TimeoutRejectedException)
        {
            return IsTransientFailure(exception);
        }

        if (context.Properties.TryGetValue(TimedOutBefore, out var timedOutBefore) && timedOutBefore)
        {
            return false;
        }

        context.Properties.Set(TimedOutBefore, true);
        return true;
    }

    /// <summary>What a retry may cure. Never a 429 or 403 (the gate pauses instead), an unknown instrument or a bad
    /// parameter; never the caller's own cancellation.</summary>
    internal static bool IsTransientFailure(Exception? exception) => exception is
        BlofinServerException or
        BlofinMalformedResponseException or
        TimeoutRejectedException or
        HttpRequestException or
        SocketException or
        IOException;
}
