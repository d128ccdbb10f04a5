using System.Diagnostics.CodeAnalysis;

namespace Blofin.Backfill.Exchange;

/// <summary>A candle interval as Blofin names it (<c>1m</c>, <c>1H</c>, <c>1D</c>...), with its length.</summary>
public readonly record struct Bar
{
    private const long MillisecondsPerHour = 3_600_000;

    private static readonly Bar[] s_known =
    [
        new("1m", TimeSpan.FromMinutes(1)),
        new("3m", TimeSpan.FromMinutes(3)),
        new("5m", TimeSpan.FromMinutes(5)),
        new("15m", TimeSpan.FromMinutes(15)),
        new("30m", TimeSpan.FromMinutes(30)),
        new("1H", TimeSpan.FromHours(1)),
        new("2H", TimeSpan.FromHours(2)),
        new("4H", TimeSpan.FromHours(4)),
        new("6H", TimeSpan.FromHours(6)),
        new("8H", TimeSpan.FromHours(8)),
        new("12H", TimeSpan.FromHours(12)),
        new("1D", TimeSpan.FromDays(1)),
        new("3D", TimeSpan.FromDays(3)),
        new("1W", TimeSpan.FromDays(7)),
        // A month has no fixed length; 1M candles open on the first of the month, so only the
        // name is checked for it and timestamps are not aligned by length.
        new("1M", TimeSpan.FromDays(30)),
    ];

    private Bar(string name, TimeSpan length)
    {
        Name = name;
        Length = length;
    }

    /// <summary>The one-minute bar, the one this tool keeps complete.</summary>
    public static Bar OneMinute => s_known[0];

    /// <summary>The one-hour bar, used to cross-check the exchange's own aggregation.</summary>
    public static Bar OneHour => s_known[5];

    /// <summary>Every bar Blofin documents, shortest first.</summary>
    public static IReadOnlyList<Bar> Known => s_known;

    /// <summary>The name Blofin uses (case matters: <c>1m</c> is a minute, <c>1M</c> a month).</summary>
    public string Name { get; }

    /// <summary>The bar's length (nominal for <c>1M</c>).</summary>
    public TimeSpan Length { get; }

    /// <summary>The bar's length in milliseconds, the unit of Blofin's timestamps.</summary>
    public long LengthMs => (long)Length.TotalMilliseconds;

    /// <summary>Whether open times of this bar are whole multiples of its length since the Unix epoch.</summary>
    public bool HasFixedLength => Name != "1M";

    /// <summary>Every open time of this bar is a whole multiple of this many milliseconds since the Unix epoch:
    /// the bar's length up to one hour. Longer bars are only held to the hour, because which hour starts the
    /// exchange's day (UTC or UTC+8) is unverified.</summary>
    public long AlignmentMs => Math.Min(LengthMs, MillisecondsPerHour);

    public static bool TryParse([NotNullWhen(true)] string? name, out Bar bar)
    {
        foreach (var known in s_known)
        {
            if (string.Equals(known.Name, name, StringComparison.Ordinal))
            {
                bar = known;
                return true;
            }
        }

        bar = default;
        return false;
    }

    public static Bar Parse(string name) =>
        TryParse(name, out var bar)
            ? bar
            : throw new FormatException($"Unknown bar '{name}'. Known bars: {string.Join(", ", s_known.Select(b => b.Name))}.");

    public override string ToString() => Name;
}
