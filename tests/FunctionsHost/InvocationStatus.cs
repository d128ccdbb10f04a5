namespace Blofin.Backfill.FunctionsHost;

/// <summary>How an invocation ended, as the worker reports it.</summary>
public enum InvocationStatus
{
    Failure = 0,
    Success = 1,
    Cancelled = 2,
}
