using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.FunctionsHost;

/// <summary>The harness against a small real app: metadata, queue and timer invocations, failures,
/// logs. One worker serves every test of this class.</summary>
public sealed class FunctionsTestHostTests(SampleAppFixture fixture) : IClassFixture<SampleAppFixture>
{
    private FunctionsTestHost Host => fixture.Host;

    [Fact]
    public void Functions_SampleApp_ReportsEachFunctionWithItsTrigger()
    {
        Assert.Equal(["EchoMessage", "Ping", "Tick"], Host.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));

        var echo = Host.GetFunction("EchoMessage");
        Assert.Equal("queueTrigger", echo.Trigger?.Type);
        Assert.Equal("message", echo.Trigger?.Name);
        Assert.Equal(BindingDataType.Text, echo.Trigger?.DataType);
        Assert.Equal("%SampleQueueName%", echo.Trigger?.GetProperty("queueName"));
        Assert.Equal("AzureWebJobsStorage", echo.Trigger?.GetProperty("connection"));
        var output = Assert.Single(echo.Bindings, b => b.Direction == BindingDirection.Out);
        Assert.Equal(("$return", "queue", "%SampleOutputQueueName%"), (output.Name, output.Type, output.GetProperty("queueName")));

        var tick = Host.GetFunction("Tick");
        Assert.Equal("timerTrigger", tick.Trigger?.Type);
        Assert.Equal("%SampleSchedule%", tick.Trigger?.GetProperty("schedule"));

        var ping = Host.GetFunction("Ping");
        Assert.Equal("httpTrigger", ping.Trigger?.Type);
        Assert.Equal("sample/ping", ping.Trigger?.GetProperty("route"));
        Assert.Equal("Function", ping.Trigger?.GetProperty("authLevel"));
        Assert.Equal("""["get"]""", ping.Trigger?.GetProperty("methods"));
    }

    [Fact]
    public void Functions_SampleApp_CarryIdsEntryPointsAndScriptFile()
    {
        Assert.All(Host.Functions, f =>
        {
            Assert.NotEmpty(f.FunctionId);
            Assert.Equal("Blofin.Backfill.FunctionsHost.SampleApp.dll", f.ScriptFile);
            Assert.Equal($"Blofin.Backfill.FunctionsHost.SampleApp.{f.Name}.Run", f.EntryPoint);
            Assert.Equal("dotnet-isolated", f.Language);
        });
        Assert.Equal(Host.Functions.Count, Host.Functions.Select(f => f.FunctionId).Distinct().Count());
    }

    [Fact]
    public void WorkerInit_SampleApp_ReportsVersionAndCapabilities()
    {
        Assert.NotEmpty(Host.WorkerVersion);
        Assert.Equal("true", Host.WorkerCapabilities["HandlesWorkerTerminateMessage"], ignoreCase: true);
    }

    [Fact]
    public async Task InvokeQueueAsync_StringMessage_BindsTheTextAndReturnsTheOutput()
    {
        var result = await Host.InvokeQueueAsync("EchoMessage", "hello queue", dequeueCount: 3, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal("HELLO QUEUE", result.ReturnValue?.ToString());
    }

    [Fact]
    public async Task InvokeQueueAsync_DequeueCount_ReachesTheFunctionFromTriggerMetadata()
    {
        var result = await Host.InvokeQueueAsync("EchoMessage", "counted", dequeueCount: 4, TestContext.Current.CancellationToken);

        var log = Assert.Single(result.Logs, l => l.Category.EndsWith(".EchoMessage", StringComparison.Ordinal));
        Assert.Equal("Received counted on try 4", log.Message);
    }

    [Fact]
    public async Task InvokeQueueAsync_UserLog_ArrivesAsRpcLogOfTheInvocation()
    {
        var result = await Host.InvokeQueueAsync("EchoMessage", "logged", dequeueCount: 2, TestContext.Current.CancellationToken);

        var log = Assert.Single(result.Logs, l => l.Category == "Blofin.Backfill.FunctionsHost.SampleApp.EchoMessage");
        Assert.Equal(result.InvocationId, log.InvocationId);
        Assert.Equal(LogLevel.Information, log.Level);
        Assert.Equal(WorkerLogCategory.User, log.LogCategory);
        Assert.Equal("Received logged on try 2", log.Message);
        Assert.Equal("Received", log.EventId);
        Assert.Null(log.Exception);
        Assert.Contains(log, Host.Logs);
    }

    [Fact]
    public async Task InvokeQueueAsync_Metric_ArrivesWithItsPropertiesMap()
    {
        var result = await Host.InvokeQueueAsync("EchoMessage", "four", dequeueCount: 5, TestContext.Current.CancellationToken);

        // Worker 2.52 fills propertiesMap only for metrics; ordinary logs carry their fields in the message.
        var metric = Assert.Single(result.Logs, l => l.LogCategory == WorkerLogCategory.CustomMetric);
        Assert.Equal(result.InvocationId, metric.InvocationId);
        Assert.Equal("EchoLength", metric.Properties["Name"].ToString());
        Assert.Equal(TypedValue.Number(4), metric.Properties["Value"]);
        Assert.Equal("5", metric.Properties["DequeueCount"].ToString());
        var log = Assert.Single(result.Logs, l => l.LogCategory == WorkerLogCategory.User);
        Assert.Empty(log.Properties);
    }

    [Fact]
    public async Task InvokeQueueAsync_FunctionThrows_ReturnsFailureWithTheUserException()
    {
        var result = await Host.InvokeQueueAsync("EchoMessage", "fail", dequeueCount: 1, TestContext.Current.CancellationToken);

        Assert.Equal(InvocationStatus.Failure, result.Status);
        Assert.NotNull(result.Error);
        Assert.True(result.Error.IsUserException);
        Assert.Equal("System.InvalidOperationException", result.Error.Type);
        Assert.Contains("The sample fails on 'fail' by design.", result.Error.Message, StringComparison.Ordinal);
        Assert.Null(result.ReturnValue);
    }

    [Fact]
    public async Task InvokeQueueAsync_FunctionThrows_LogsTheExceptionAsAnErrorRpcLog()
    {
        var result = await Host.InvokeQueueAsync("EchoMessage", "fail", dequeueCount: 1, TestContext.Current.CancellationToken);

        var log = Assert.Single(result.Logs, l => l.Level == LogLevel.Error);
        Assert.Equal("InvocationError", log.EventId);
        Assert.NotNull(log.Exception);
        Assert.Contains("The sample fails on 'fail' by design.", log.Exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InvokeTimerAsync_TimerInfoPayload_BindsIsPastDueAndScheduleStatus(bool isPastDue)
    {
        var result = await Host.InvokeTimerAsync("Tick", isPastDue, TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Error?.ToString());
        var log = Assert.Single(result.Logs, l => l.Category == "Blofin.Backfill.FunctionsHost.SampleApp.Tick");
        var next = SampleAppFixture.Now.AddMinutes(30);
        Assert.Equal($"Ticked, past due {isPastDue}, next {next:yyyy-MM-ddTHH:mm:ss}", log.Message);
    }

    [Fact]
    public async Task InvokeAsync_ManyAtOnce_MatchesEachResponseToItsRequest()
    {
        var messages = Enumerable.Range(0, 24).Select(i => $"message {i}").ToList();

        var results = await Task.WhenAll(messages.Select(m => Host.InvokeQueueAsync("EchoMessage", m, 1, TestContext.Current.CancellationToken)));

        Assert.Equal(messages.Select(m => m.ToUpperInvariant()), results.Select(r => r.ReturnValue?.ToString()));
        Assert.All(results, r => Assert.All(r.Logs, l => Assert.Equal(r.InvocationId, l.InvocationId)));
        Assert.Equal(results.Length, results.Select(r => r.InvocationId).Distinct().Count());
    }

    [Fact]
    public async Task InvokeQueueAsync_TimerFunction_ThrowsNamingTheTrigger()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => Host.InvokeQueueAsync("Tick", "x", 1, TestContext.Current.CancellationToken));

        Assert.Contains("Tick is triggered by timerTrigger, not queueTrigger", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_UnknownFunction_ThrowsNamingTheReportedOnes()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => Host.InvokeTimerAsync("Nope", false, TestContext.Current.CancellationToken));

        Assert.Contains("no function 'Nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains("EchoMessage", error.Message, StringComparison.Ordinal);
    }
}
