using System.Globalization;

namespace Blofin.Backfill.Bench;

/// <summary>One per-IP window of the exchange: at most <see cref="Limit"/> requests in any <see cref="Window"/>.</summary>
internal readonly record struct RateLimit(int Limit, TimeSpan Window)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Limit}/{Format(Window)}");

    /// <summary>Parses <c>500/6s,1500/30s</c> (units ms, s, m, h): the short window first, then the long one.</summary>
    /// <exception cref="FormatException">The text is not two such windows, the long one longer and no smaller.</exception>
    public static (RateLimit Short, RateLimit Long) ParsePair(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            throw new FormatException($"--rate-limits takes two windows like 500/6s,1500/30s; '{text}' is not.");
        }

        var first = Parse(parts[0]);
        var second = Parse(parts[1]);
        if (second.Window <= first.Window || second.Limit < first.Limit)
        {
            throw new FormatException($"--rate-limits: the second window ({second}) must be longer than the first ({first}) and allow no fewer requests.");
        }

        return (first, second);
    }

    private static RateLimit Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 2)
        {
            throw new FormatException($"'{text}' is not LIMIT/WINDOW with a limit of at least 2 (e.g. 500/6s).");
        }

        return new RateLimit(limit, ParseDuration(text[(slash + 1)..]));
    }

    /// <summary>Parses <c>50ms</c>, <c>6s</c>, <c>1.5m</c>, <c>1h</c>.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        (string Suffix, double Ms)[] units = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, ms) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                && value >= 0)
            {
                return TimeSpan.FromMilliseconds(value * ms);
            }
        }

        throw new FormatException($"'{text}' is not a duration such as 50ms, 6s, 1m or 1h.");
    }

    private static string Format(TimeSpan span) => span.TotalMilliseconds % 1000 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds}s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds}ms");
}
