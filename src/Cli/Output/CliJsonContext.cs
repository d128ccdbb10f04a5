using System.Text.Json.Serialization;

namespace Blofin.Backfill.Cli.Output;

/// <summary>Source-generated JSON for the CLI's documents: camelCase, indented, stable field order.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunDocument))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
