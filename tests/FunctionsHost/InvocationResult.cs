namespace Blofin.Backfill.FunctionsHost;

/// <summary>What the worker answered to one invocation, with the logs written during it.</summary>
/// <param name="Error">The exception that failed the invocation, if it failed.</param>
/// <param name="ReturnValue">The function's return value as the worker sent it (e.g. a <c>$return</c> output binding).</param>
/// <param name="OutputData">The output bindings' values, by binding name.</param>
/// <param name="Logs">The logs the worker sent with this invocation's ID, in order.</param>
public sealed record InvocationResult(
    string InvocationId,
    string FunctionName,
    InvocationStatus Status,
    WorkerError? Error,
    TypedValue? ReturnValue,
    IReadOnlyDictionary<string, TypedValue> OutputData,
    IReadOnlyList<WorkerLog> Logs,
    TimeSpan Duration)
{
    public bool Succeeded => Status == InvocationStatus.Success;
}
