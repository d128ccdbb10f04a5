using System.Text.Json;
using Blofin.Backfill.FunctionsHost;

namespace Blofin.Backfill.Functions;

/// <summary>src/Functions' functions as the build declares them (functions.metadata, extensions.json) and as
/// the worker reports them over the host protocol when started with local.settings.example.json.</summary>
public sealed class DeclaredFunctionsTests
{
    private static readonly string[] FunctionNames = ["BackfillSymbol", "EnqueueBackfills", "ExportCandles", "GetCoverage", "GetCoverageHeatmap"];

    [Fact]
    public void BuildOutput_FunctionsMetadata_DeclaresExactlyTheFunctionsWithTheirSettings()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(BuildOutput.FunctionsApp, "functions.metadata")));
        var functions = metadata.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, Trigger);

        Assert.Equal(FunctionNames, functions.Keys.Order(StringComparer.Ordinal));
        var timer = functions["EnqueueBackfills"];
        Assert.Equal("timerTrigger", Text(timer, "type"));
        Assert.Equal("%BackfillSchedule%", Text(timer, "schedule"));
        Assert.False(timer.TryGetProperty("runOnStartup", out _));
        var queue = functions["BackfillSymbol"];
        Assert.Equal("queueTrigger", Text(queue, "type"));
        Assert.Equal("%BackfillQueueName%", Text(queue, "queueName"));
        Assert.Equal("AzureWebJobsStorage", Text(queue, "connection"));
        Assert.Equal("String", Text(queue, "dataType"));
        foreach (var (name, route) in new[] { ("ExportCandles", "export/{instId}"), ("GetCoverage", "coverage"), ("GetCoverageHeatmap", "coverage.svg") })
        {
            var http = functions[name];
            Assert.Equal("httpTrigger", Text(http, "type"));
            Assert.Equal("Function", Text(http, "authLevel"));
            Assert.Equal(route, Text(http, "route"));
            Assert.Equal(["get"], http.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        }
    }

    [Fact]
    public void BuildOutput_FunctionsApp_ExtensionsJsonListsOnlyStorageQueuesAndTheWorkerHasAllThree()
    {
        var output = BuildOutput.FunctionsApp;

        // The host loads binding extensions from extensions.json. The timer and HTTP triggers are built into
        // the host, so only Storage Queues is listed (beside the SDK's metadata loader); their worker-side
        // packages still ship in the output.
        BuildOutputTests.AssertQueueAndTimerExtensions(output);
        using var extensions = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "extensions.json")));
        Assert.Equal(
            ["AzureStorageQueues", "Startup"],
            extensions.RootElement.GetProperty("extensions").EnumerateArray().Select(e => e.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(output, "Microsoft.Azure.Functions.Worker.Extensions.Http.dll")));
    }

    [Fact]
    public async Task StartAsync_ExampleSettings_ReportsExactlyTheDeclaredFunctionsAndAllLoad()
    {
        var settings = LocalSettings.ReadValues(Path.Combine(BuildOutput.RepositoryRoot, "local.settings.example.json"));
        await using var host = await FunctionsTestHost.StartAsync(BuildOutput.FunctionsApp, settings, TestContext.Current.CancellationToken);

        Assert.Equal(FunctionNames, host.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        var timer = host.GetFunction("EnqueueBackfills").Trigger;
        Assert.Equal("timerTrigger", timer?.Type);
        Assert.Equal("%BackfillSchedule%", timer?.GetProperty("schedule"));
        Assert.Null(timer?.GetProperty("runOnStartup"));
        var queue = host.GetFunction("BackfillSymbol").Trigger;
        Assert.Equal("queueTrigger", queue?.Type);
        Assert.Equal("%BackfillQueueName%", queue?.GetProperty("queueName"));
        Assert.Equal("AzureWebJobsStorage", queue?.GetProperty("connection"));
        Assert.Equal(BindingDataType.Text, queue?.DataType);
        foreach (var (name, route) in new[] { ("ExportCandles", "export/{instId}"), ("GetCoverage", "coverage"), ("GetCoverageHeatmap", "coverage.svg") })
        {
            var function = host.GetFunction(name);
            var http = function.Trigger;
            Assert.Equal("httpTrigger", http?.Type);
            Assert.Equal(route, http?.GetProperty("route"));
            Assert.Equal("Function", http?.GetProperty("authLevel"));
            Assert.Equal("""["get"]""", http?.GetProperty("methods"));
            var output = Assert.Single(function.Bindings, b => b.Direction == BindingDirection.Out);
            Assert.Equal(("$return", "http"), (output.Name, output.Type));
        }
    }

    private static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => Text(b, "type")!.EndsWith("Trigger", StringComparison.Ordinal));

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
