using Blofin.Backfill.FunctionsHost;

namespace Blofin.Backfill.Functions;

/// <summary>src/Functions' real build output run as the host runs it: it starts, indexes itself,
/// validates its options before it connects, and stops when told.</summary>
public sealed class WorkerStartTests
{
    [Fact]
    public async Task StartAsync_BuildOutput_CompletesInitAndReportsLoadableMetadata()
    {
        await using var host = await FunctionsTestHost.StartAsync(BuildOutput.FunctionsApp, null, TestContext.Current.CancellationToken);

        Assert.NotEmpty(host.WorkerVersion);
        Assert.Equal(host.Functions.Count, host.Functions.Select(f => f.Name).Distinct().Count());
        Assert.All(host.Functions, f =>
        {
            Assert.NotNull(f.Trigger);
            Assert.Equal("Blofin.Backfill.Functions.dll", f.ScriptFile);
        });
    }

    [Fact]
    public async Task StartAsync_NegativeLookbackHours_FailsAtStartNamingTheSetting()
    {
        var settings = new Dictionary<string, string?> { ["Backfill__LookbackHours"] = "-1" };

        var error = await Assert.ThrowsAsync<FunctionsHostException>(
            () => FunctionsTestHost.StartAsync(BuildOutput.FunctionsApp, settings, TestContext.Current.CancellationToken));

        // The worker validates its options when its host starts, before it connects: no invocation is needed.
        Assert.Equal(FunctionsHostStep.StartStream, error.Step);
        Assert.NotNull(error.ExitCode);
        Assert.NotEqual(0, error.ExitCode);
        Assert.Contains("OptionsValidationException", error.StandardError, StringComparison.Ordinal);
        Assert.Contains("LookbackHours", error.StandardError, StringComparison.Ordinal);
        Assert.Contains("LookbackHours", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_WorkerTerminate_ExitsZeroWithinTheGracePeriod()
    {
        var options = new FunctionsTestHostOptions { AppDirectory = BuildOutput.FunctionsApp, GracePeriod = TimeSpan.FromSeconds(10) };
        await using var host = await FunctionsTestHost.StartAsync(options, TestContext.Current.CancellationToken);

        var exitCode = await host.StopAsync();

        Assert.Equal(0, exitCode);
        Assert.False(host.WasKilled);
    }
}
