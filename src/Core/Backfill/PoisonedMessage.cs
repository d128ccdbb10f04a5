using System.Text.Json.Serialization;

namespace Blofin.Backfill.Backfill;

/// <summary>What the poison queue holds for a message that can never succeed: the message and why.</summary>
public sealed record PoisonedMessage(string Message, string Reason, DateTimeOffset PoisonedAtUtc);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false)]
[JsonSerializable(typeof(PoisonedMessage))]
internal sealed partial class PoisonedMessageJsonContext : JsonSerializerContext;
