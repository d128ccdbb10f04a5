using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.FunctionsHost;

/// <summary>One log the worker sent over the stream (RpcLog): the app's log as the host sees it.</summary>
/// <param name="InvocationId">The invocation it was written in, or null outside an invocation.</param>
/// <param name="Category">The logger's name (for user code, usually the class name).</param>
/// <param name="EventId">The event's name (a <c>[LoggerMessage]</c> method's name) or number.</param>
/// <param name="Properties">The log's property map (<c>propertiesMap</c>). The .NET isolated worker
/// 2.52 fills it only for metrics (<c>ILogger.LogMetric</c>: Name, Value and the metric's
/// properties, <see cref="LogCategory"/> CustomMetric); an ordinary log's fields are rendered into
/// <paramref name="Message"/> and reach Application Insights only through the worker's own telemetry.</param>
public sealed record WorkerLog(
    string? InvocationId,
    string Category,
    LogLevel Level,
    WorkerLogCategory LogCategory,
    string Message,
    string? EventId,
    WorkerError? Exception,
    IReadOnlyDictionary<string, TypedValue> Properties)
{
    public override string ToString() =>
        Exception is null ? $"{Level} {Category}: {Message}" : $"{Level} {Category}: {Message} ({Exception})";
}
