namespace Blofin.Simulator;

/// <summary>A bar Blofin documents, with the simulator's alignment: fixed-length bars open on whole multiples of
/// their length since the Unix epoch (UTC), <c>1M</c> on the first of each UTC month.</summary>
internal sealed class SimulatedBar
{
    private const long MinuteMs = 60_000;

    private static readonly SimulatedBar[] Known =
    [
        new("1m", 1), new("3m", 3), new("5m", 5), new("15m", 15), new("30m", 30),
        new("1H", 60), new("2H", 120), new("4H", 240), new("6H", 360), new("8H", 480), new("12H", 720),
        new("1D", 1_440), new("3D", 4_320), new("1W", 10_080), new("1M", 0),
    ];

    private SimulatedBar(string name, long minutes)
    {
        Name = name;
        LengthMs = minutes * MinuteMs;
    }

    public static SimulatedBar OneMinute => Known[0];

    public static IEnumerable<string> Names => Known.Select(bar => bar.Name);

    public string Name { get; }

    /// <summary>Zero for the calendar month.</summary>
    public long LengthMs { get; }

    public bool IsMinute => LengthMs == MinuteMs;

    public static bool TryParse(string? name, out SimulatedBar bar)
    {
        bar = Known.FirstOrDefault(known => string.Equals(known.Name, name, StringComparison.Ordinal))!;
        return bar is not null;
    }

    /// <summary>The open time of the bar that contains <paramref name="ms"/>.</summary>
    public long Floor(long ms)
    {
        if (LengthMs > 0)
        {
            return ms - Mod(ms, LengthMs);
        }

        var time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return new DateTimeOffset(time.Year, time.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    }

    public long Previous(long openMs) => LengthMs > 0
        ? openMs - LengthMs
        : DateTimeOffset.FromUnixTimeMilliseconds(openMs).AddMonths(-1).ToUnixTimeMilliseconds();

    public long Next(long openMs) => LengthMs > 0
        ? openMs + LengthMs
        : DateTimeOffset.FromUnixTimeMilliseconds(openMs).AddMonths(1).ToUnixTimeMilliseconds();

    public override string ToString() => Name;

    private static long Mod(long value, long divisor) => ((value % divisor) + divisor) % divisor;
}
