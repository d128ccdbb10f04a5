using System.Diagnostics;
using Blofin.Backfill.Functions;

namespace Blofin.Backfill.FunctionsHost;

/// <summary>Starting and stopping the worker: each test runs its own.</summary>
public sealed class FunctionsTestHostLifecycleTests
{
    [Fact]
    public async Task StopAsync_RunningWorker_ExitsZeroWithinTheGracePeriod()
    {
        var options = new FunctionsTestHostOptions { AppDirectory = BuildOutput.SampleApp, GracePeriod = TimeSpan.FromSeconds(10) };
        await using var host = await FunctionsTestHost.StartAsync(options, TestContext.Current.CancellationToken);

        var exitCode = await host.StopAsync();

        Assert.Equal(0, exitCode);
        Assert.False(host.WasKilled);
    }

    [Fact]
    public async Task StopAsync_CalledAgain_ReturnsTheSameExitCode()
    {
        await using var host = await FunctionsTestHost.StartAsync(BuildOutput.SampleApp, SampleAppFixture.Settings, TestContext.Current.CancellationToken);

        var first = await host.StopAsync();
        var second = await host.StopAsync();

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task DisposeAsync_RunningWorker_LeavesNoProcess()
    {
        var host = await FunctionsTestHost.StartAsync(BuildOutput.SampleApp, SampleAppFixture.Settings, TestContext.Current.CancellationToken);
        var processId = host.ProcessId;

        await host.DisposeAsync();

        Assert.False(IsRunning(processId));
    }

    [Fact]
    public async Task StartAsync_StartTimeoutElapses_ThrowsNamingStartStream()
    {
        var options = new FunctionsTestHostOptions { AppDirectory = BuildOutput.SampleApp, StartTimeout = TimeSpan.FromMilliseconds(1) };

        var error = await Assert.ThrowsAsync<FunctionsHostException>(
            () => FunctionsTestHost.StartAsync(options, TestContext.Current.CancellationToken));

        Assert.Equal(FunctionsHostStep.StartStream, error.Step);
        Assert.StartsWith("The worker did not send StartStream within 0 s.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_FolderWithoutWorkerConfig_ThrowsNamingTheFile()
    {
        var folder = Directory.CreateTempSubdirectory("fhost-empty-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<FunctionsHostException>(
                () => FunctionsTestHost.StartAsync(folder, null, TestContext.Current.CancellationToken));

            Assert.Contains(Path.Combine(folder, "worker.config.json"), error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
