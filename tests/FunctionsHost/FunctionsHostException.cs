namespace Blofin.Backfill.FunctionsHost;

/// <summary>The worker did not do what the host asked, in time or at all: it exited, closed the
/// stream, failed a step or stayed silent. The message names the step and quotes the worker's stderr
/// and error logs.</summary>
public sealed class FunctionsHostException : Exception
{
    public FunctionsHostException()
    {
    }

    public FunctionsHostException(string message)
        : base(message)
    {
    }

    public FunctionsHostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal FunctionsHostException(string message, FunctionsHostStep step, int? exitCode, string standardOutput, string standardError, IReadOnlyList<WorkerLog> logs)
        : base(message)
    {
        Step = step;
        ExitCode = exitCode;
        StandardOutput = standardOutput;
        StandardError = standardError;
        Logs = logs;
    }

    /// <summary>The step the host was at.</summary>
    public FunctionsHostStep Step { get; }

    /// <summary>The worker's exit code, if it had exited.</summary>
    public int? ExitCode { get; }

    public string StandardOutput { get; } = string.Empty;

    public string StandardError { get; } = string.Empty;

    /// <summary>Every log the worker had sent over the stream.</summary>
    public IReadOnlyList<WorkerLog> Logs { get; } = [];
}
