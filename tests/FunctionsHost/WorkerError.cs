namespace Blofin.Backfill.FunctionsHost;

/// <summary>An exception the worker reported: in a log, a failed load or a failed invocation.</summary>
public sealed record WorkerError(string? Type, string Message, string? StackTrace, string? Source, bool IsUserException)
{
    public override string ToString() => Type is null ? Message : $"{Type}: {Message}";
}
