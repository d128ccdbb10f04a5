using System.Text.Json;

namespace Blofin.Backfill.FunctionsHost;

/// <summary>Reads the <c>Values</c> of a <c>local.settings.json</c>-shaped file, the app settings
/// Core Tools exports to the worker as environment variables.</summary>
public static class LocalSettings
{
    /// <summary>The <c>Values</c> object's entries, keys as written (Core Tools exports them
    /// unchanged; <c>__</c> in a key is a section separator to the worker's configuration). A new
    /// dictionary, for the caller to point storage and endpoints elsewhere before passing it to
    /// <see cref="FunctionsTestHost.StartAsync(string, IReadOnlyDictionary{string, string?}?, CancellationToken)"/>.</summary>
    public static Dictionary<string, string?> ReadValues(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path} has no \"Values\" object.");
        }

        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in values.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Null => string.Empty,
                _ => property.Value.GetRawText(),
            };
        }

        return result;
    }
}
