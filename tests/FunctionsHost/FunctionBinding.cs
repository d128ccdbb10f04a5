using System.Text.Json;

namespace Blofin.Backfill.FunctionsHost;

/// <summary>One binding of a function, as the worker reports it in its metadata.</summary>
/// <param name="Name">The parameter name, or <c>$return</c>.</param>
/// <param name="Type">The binding type, e.g. <c>queueTrigger</c>, <c>timerTrigger</c>, <c>httpTrigger</c>, <c>queue</c>.</param>
/// <param name="RawJson">The raw binding JSON the worker sent (with <c>queueName</c>, <c>schedule</c>,
/// <c>connection</c>, <c>route</c>, <c>authLevel</c>, ...), or null if it sent none for this binding.</param>
public sealed record FunctionBinding(string Name, string Type, BindingDirection Direction, BindingDataType DataType, string? RawJson)
{
    /// <summary>A property of the raw binding JSON (name case-insensitive) as text: a string as it
    /// is, anything else as its JSON; null when absent.</summary>
    public string? GetProperty(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (RawJson is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(RawJson);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }
        }

        return null;
    }
}
