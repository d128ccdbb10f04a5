namespace Blofin.Backfill.FunctionsHost;

/// <summary>Whether a log came from the app's code or from the worker itself.</summary>
public enum WorkerLogCategory
{
    User = 0,
    System = 1,
    CustomMetric = 2,
}
