using System.Globalization;

namespace Blofin.Backfill.Export;

/// <summary>Parses and prints the times of an export: ISO 8601, UTC unless an offset is given.</summary>
public static class ExportTimes
{
    private const int MaxEcho = 40;

    private static readonly string[] s_formats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Parses <paramref name="text"/> as an ISO 8601 date or time (<c>2025-01-06</c>, <c>2025-01-06T12:00Z</c>,
    /// <c>2025-01-06T14:00+02:00</c>); without an offset it is UTC.</summary>
    /// <param name="name">What the value is called where the user typed it (<c>--from</c>, <c>from</c>), for the message.</param>
    /// <exception cref="InvalidExportRequestException">The text is not such a time.</exception>
    public static DateTimeOffset Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (DateTimeOffset.TryParseExact(
            text.Trim(),
            s_formats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var value))
        {
            return value;
        }

        throw new InvalidExportRequestException(
            $"{name} '{Echo(text)}' is not an ISO 8601 time (for example 2025-01-06 or 2025-01-06T12:00Z).");
    }

    /// <summary>A UTC instant as ISO 8601 with a <c>Z</c>, to the second (bar open times are whole minutes).</summary>
    public static string Format(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A value typed by a user, shortened and stripped of line breaks so an error stays on one line.</summary>
    public static string Echo(string? text)
    {
        var flat = (text ?? string.Empty).ReplaceLineEndings(" ");
        return flat.Length <= MaxEcho ? flat : string.Concat(flat.AsSpan(0, MaxEcho), "...");
    }
}
