using System.Text.Json;
using Blofin.Backfill.FunctionsHost.Rpc;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.FunctionsHost;

/// <summary>Turns the protocol's messages into the harness's plain types and back.</summary>
internal static class RpcMapping
{
    public static WorkerLog ToWorkerLog(RpcLog log)
    {
        var properties = new Dictionary<string, TypedValue>(StringComparer.Ordinal);
        foreach (var (name, data) in log.PropertiesMap)
        {
            if (ToTypedValue(data) is { } value)
            {
                properties[name] = value;
            }
        }

        return new WorkerLog(
            NullIfEmpty(log.InvocationId),
            log.Category,
            log.Level switch
            {
                RpcLog.Types.Level.Trace => LogLevel.Trace,
                RpcLog.Types.Level.Debug => LogLevel.Debug,
                RpcLog.Types.Level.Information => LogLevel.Information,
                RpcLog.Types.Level.Warning => LogLevel.Warning,
                RpcLog.Types.Level.Error => LogLevel.Error,
                RpcLog.Types.Level.Critical => LogLevel.Critical,
                _ => LogLevel.None,
            },
            (WorkerLogCategory)log.LogCategory,
            log.Message,
            NullIfEmpty(log.EventId),
            ToError(log.Exception),
            properties);
    }

    public static WorkerError? ToError(RpcException? exception) => exception is null
        ? null
        : new WorkerError(
            NullIfEmpty(exception.Type),
            exception.Message,
            NullIfEmpty(exception.StackTrace),
            NullIfEmpty(exception.Source),
            exception.IsUserException);

    public static TypedValue? ToTypedValue(TypedData? data) => data?.DataCase switch
    {
        TypedData.DataOneofCase.String => TypedValue.Text(data.String),
        TypedData.DataOneofCase.Json => TypedValue.Json(data.Json),
        TypedData.DataOneofCase.Bytes => TypedValue.Bytes(data.Bytes.ToByteArray()),
        TypedData.DataOneofCase.Stream => TypedValue.Stream(data.Stream.ToByteArray()),
        TypedData.DataOneofCase.Int => TypedValue.WholeNumber(data.Int),
        TypedData.DataOneofCase.Double => TypedValue.Number(data.Double),
        _ => null,
    };

    public static TypedData ToTypedData(TypedValue value) => value.Kind switch
    {
        TypedValueKind.Text => new TypedData { String = (string)value.Value },
        TypedValueKind.Json => new TypedData { Json = (string)value.Value },
        TypedValueKind.Bytes => new TypedData { Bytes = ByteString.CopyFrom((byte[])value.Value) },
        TypedValueKind.Stream => new TypedData { Stream = ByteString.CopyFrom((byte[])value.Value) },
        TypedValueKind.WholeNumber => new TypedData { Int = (long)value.Value },
        TypedValueKind.Number => new TypedData { Double = (double)value.Value },
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "Unknown kind."),
    };

    public static FunctionDescription ToFunctionDescription(RpcFunctionMetadata metadata)
    {
        // Raw bindings carry the properties (queueName, schedule, route); the bindings map carries the
        // direction and data type. Keep the raw bindings' order, which is the declaration's.
        var rawByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var raw in metadata.RawBindings)
        {
            using var document = JsonDocument.Parse(raw);
            if (document.RootElement.TryGetProperty("name", out var name) && name.GetString() is { } bindingName)
            {
                rawByName[bindingName] = raw;
                order.Add(bindingName);
            }
        }

        order.AddRange(metadata.Bindings.Keys.Where(k => !rawByName.ContainsKey(k)));
        var bindings = new List<FunctionBinding>();
        foreach (var name in order)
        {
            rawByName.TryGetValue(name, out var raw);
            if (metadata.Bindings.TryGetValue(name, out var info))
            {
                bindings.Add(new FunctionBinding(name, info.Type, (BindingDirection)info.Direction, (BindingDataType)info.DataType, raw));
            }
            else
            {
                bindings.Add(FromRawOnly(name, raw!));
            }
        }

        return new FunctionDescription(
            metadata.Name,
            metadata.FunctionId,
            metadata.ScriptFile,
            metadata.EntryPoint,
            metadata.Language,
            bindings,
            new Dictionary<string, string>(metadata.Properties, StringComparer.Ordinal));
    }

    private static FunctionBinding FromRawOnly(string name, string raw)
    {
        using var document = JsonDocument.Parse(raw);
        var root = document.RootElement;
        var type = root.TryGetProperty("type", out var t) ? t.GetString() ?? string.Empty : string.Empty;
        var direction = root.TryGetProperty("direction", out var d) && Enum.TryParse<BindingDirection>(d.GetString(), ignoreCase: true, out var parsed)
            ? parsed
            : BindingDirection.In;
        return new FunctionBinding(name, type, direction, BindingDataType.Undefined, raw);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
