using System.Text.Json;
using Blofin.Backfill.FunctionsHost;

namespace Blofin.Backfill.Functions;

/// <summary>What the Functions SDK must leave in the build output for a host to run the app.</summary>
public sealed class BuildOutputTests
{
    [Fact]
    public void BuildOutput_FunctionsApp_HasFunctionsMetadataWorkerConfigAndTheRepositoryHostJson()
    {
        var output = BuildOutput.FunctionsApp;

        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")));
        Assert.Equal(JsonValueKind.Array, metadata.RootElement.ValueKind);
        using var workerConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "worker.config.json")));
        var workerPath = workerConfig.RootElement.GetProperty("description").GetProperty("defaultWorkerPath").GetString()!;
        Assert.Equal("Blofin.Backfill.Functions.dll", workerPath);
        Assert.True(File.Exists(Path.Combine(output, workerPath)));
        Assert.Equal(
            File.ReadAllText(Path.Combine(BuildOutput.RepositoryRoot, "host.json")),
            File.ReadAllText(Path.Combine(output, "host.json")));
    }

    [Theory]
    [InlineData("Functions")]
    [InlineData("SampleApp")]
    public async Task Functions_BuildOutput_MatchTheGeneratedFunctionsMetadata(string app)
    {
        var output = app == "Functions" ? BuildOutput.FunctionsApp : BuildOutput.SampleApp;
        await using var host = await FunctionsTestHost.StartAsync(output, null, TestContext.Current.CancellationToken);

        // The worker indexes itself from source-generated metadata; functions.metadata is the SDK's
        // build-time view of the same functions. They must agree on names, triggers and settings.
        var declared = DeclaredTriggers(output);
        var reported = host.Functions
            .Select(f => $"{f.Name}: {f.Trigger?.Type} {f.Trigger?.GetProperty("queueName")}{f.Trigger?.GetProperty("schedule")}{f.Trigger?.GetProperty("route")}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(declared, reported);
    }

    [Fact]
    public void BuildOutput_SampleApp_ExtensionsJsonListsStorageQueuesAndTheTimerIsWorkerSide()
    {
        AssertQueueAndTimerExtensions(BuildOutput.SampleApp);
    }

    /// <summary>The host loads binding extensions from extensions.json; the timer is built into the
    /// host, so only the worker-side timer package shows in the output, never in extensions.json.</summary>
    internal static void AssertQueueAndTimerExtensions(string output)
    {
        using var extensions = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "extensions.json")));
        var queues = Assert.Single(
            extensions.RootElement.GetProperty("extensions").EnumerateArray(),
            e => e.GetProperty("name").GetString() == "AzureStorageQueues");
        var hintPath = queues.GetProperty("hintPath").GetString()!;
        Assert.True(File.Exists(Path.Combine(output, hintPath)), $"{hintPath} is not in {output}");
        Assert.True(File.Exists(Path.Combine(output, "Microsoft.Azure.Functions.Worker.Extensions.Timer.dll")));
        Assert.True(File.Exists(Path.Combine(output, "Microsoft.Azure.Functions.Worker.Extensions.Storage.Queues.dll")));
    }

    private static IEnumerable<string> DeclaredTriggers(string output)
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")));
        var result = new List<string>();
        foreach (var function in metadata.RootElement.EnumerateArray())
        {
            var trigger = function.GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
            var setting = new[] { "queueName", "schedule", "route" }
                .Select(p => trigger.TryGetProperty(p, out var value) ? value.GetString() : null)
                .FirstOrDefault(v => v is not null);
            result.Add($"{function.GetProperty("name").GetString()}: {trigger.GetProperty("type").GetString()} {setting}");
        }

        return result.Order(StringComparer.Ordinal);
    }
}
