namespace Blofin.Backfill.FunctionsHost;

/// <summary>What to run and how long to wait for each step.</summary>
public sealed class FunctionsTestHostOptions
{
    /// <summary>The app's build or publish output: the folder with <c>worker.config.json</c>.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>The app settings, exported to the worker as environment variables the way Core Tools
    /// exports <c>local.settings.json</c>'s <c>Values</c>. A null value removes an inherited variable.</summary>
    public IDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>From launching the process to its StartStream (the host allows 60 s).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>For each of WorkerInit, FunctionsMetadata and all FunctionLoads.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>For one invocation's response.</summary>
    public TimeSpan InvocationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Sent in WorkerTerminate; the process is killed if it is still running after it.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock behind the trigger metadata's times (queue insertion, timer schedule status).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
