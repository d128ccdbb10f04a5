using Blofin.Backfill.Functions;
using Microsoft.Extensions.Time.Testing;

namespace Blofin.Backfill.FunctionsHost;

/// <summary>One worker of tests/FunctionsHost.SampleApp for a whole test class: starting a worker
/// costs about a second, invoking it milliseconds.</summary>
public sealed class SampleAppFixture : IAsyncLifetime
{
    /// <summary>The sample's app settings, as local.settings.json Values would give them.</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
        ["SampleQueueName"] = "sample-in",
        ["SampleOutputQueueName"] = "sample-out",
        ["SampleSchedule"] = "0 */5 * * * *",
    };

    /// <summary>The clock behind the trigger metadata: fixed, so the times the functions see are known.</summary>
    public static DateTimeOffset Now { get; } = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public FunctionsTestHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var options = new FunctionsTestHostOptions { AppDirectory = BuildOutput.SampleApp, TimeProvider = new FakeTimeProvider(Now) };
        foreach (var (name, value) in Settings)
        {
            options.Environment[name] = value;
        }

        Host = await FunctionsTestHost.StartAsync(options, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}
