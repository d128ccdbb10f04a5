namespace Blofin.Backfill.FunctionsHost;

/// <summary>The step of the host's conversation with the worker at which something went wrong.</summary>
public enum FunctionsHostStep
{
    Launch,
    StartStream,
    WorkerInit,
    FunctionsMetadata,
    FunctionLoad,
    Invocation,
    Terminate,
}
