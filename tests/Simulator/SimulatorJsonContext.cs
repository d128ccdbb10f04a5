using System.Text.Json.Serialization;

namespace Blofin.Simulator;

/// <summary>Serialises the request log for the admin endpoint without reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IReadOnlyList<SimulatorRequest>))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext
{
}
