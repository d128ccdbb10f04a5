using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.FunctionsHost;

/// <summary>One log the worker sent over the stream (RpcLog): the app's log as the host sees it.</summary>
/// <param name="InvocationId">The invocation it was written in, or null outside an invocation.</param>
/// <param name="Category">The logger's name (for user code, usually the class name).</param>
/// <param name="EventId">The event's name (a <c>[LoggerMessage]</c> method's name) or number.</param>
/// <param name="Properties">The log's property map (<c>propertiesMap</c>). The .NET isolated worker
/// 2.52 sends none: it renders the template's fields into <paramref name="Message"/>, and structured
/// fields reach Application Insights only through the worker's own telemetry, not through the host.</param>
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
