using System.Globalization;

namespace Blofin.Backfill.Cli.Output;

/// <summary>How the CLI writes its figures, the same in tables and plain lines: invariant culture, UTC.</summary>
internal static class Figures
{
    /// <summary>A count with thousands separators, for tables (plain lines keep bare digits for scripts).</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A share with two decimals, rounded down: a symbol short of one bar in 500,000 never reads 100.00%.</summary>
    public static string Percent(double value) =>
        (Math.Floor((value * 100) + 1e-9) / 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>"1 symbol", "2 symbols", "0 retries".</summary>
    public static string Plural(long count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural ?? singular + "s")}");

    public static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>A bar's open time to the minute, marked UTC (<c>2026-11-20 11:59Z</c>), or "-".</summary>
    public static string Minute(long? openTimeMs) => openTimeMs is { } ms ? Minute(DateTimeOffset.FromUnixTimeMilliseconds(ms)) : "-";

    public static string Minute(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
