using System.Globalization;

namespace Blofin.Simulator;

/// <summary>The executable's arguments:
/// <c>--port N [--latency-ms N] [--rate-limits 500/60s,1500/300s] [--seed N] [--fault-rate R] [--fault-seed N]
/// [--retention-hours N]</c>.</summary>
internal sealed record SimulatorCommandLine(SimulatorOptions Options, int Port)
{
    public const string Usage =
        "usage: Blofin.Simulator --port N [--latency-ms N] [--rate-limits 500/60s,1500/300s] [--seed N] [--fault-rate R] [--fault-seed N] [--retention-hours N]";

    /// <summary>Reads the arguments; throws <see cref="FormatException"/> naming the one that is wrong.</summary>
    public static SimulatorCommandLine Parse(IReadOnlyList<string> args)
    {
        var options = SimulatorOptions.CreateDefault();
        var port = 5005;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value.");
            switch (name)
            {
                case "--port":
                    port = ParseInt(name, value, 0, 65_535);
                    break;
                case "--latency-ms":
                    options.Latency = TimeSpan.FromMilliseconds(ParseInt(name, value, 0, 60_000));
                    break;
                case "--seed":
                    options.Seed = ParseInt(name, value, int.MinValue, int.MaxValue);
                    break;
                case "--fault-seed":
                    options.FaultSeed = ParseInt(name, value, int.MinValue, int.MaxValue);
                    break;
                case "--retention-hours":
                    options.HistoryRetention = TimeSpan.FromHours(ParseInt(name, value, 1, 1_000_000));
                    break;
                case "--fault-rate":
                    // Transient faults a client retries: half server errors, a quarter HTML pages, a quarter cut bodies.
                    var rate = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1
                        ? r
                        : throw new FormatException($"{name} must be a share between 0 and 1, not '{value}'.");
                    options.ServerErrorRate = rate / 2;
                    options.MalformedBodyRate = rate / 4;
                    options.TruncatedBodyRate = rate / 4;
                    break;
                case "--rate-limits":
                    ParseRateLimits(value, options);
                    break;
                default:
                    throw new FormatException($"Unknown argument '{name}'.");
            }
        }

        return new SimulatorCommandLine(options, port);
    }

    private static void ParseRateLimits(string value, SimulatorOptions options)
    {
        var windows = value.Split(',', StringSplitOptions.TrimEntries);
        if (windows.Length != 2)
        {
            throw new FormatException($"--rate-limits takes two windows, short and long, like 500/60s,1500/300s; not '{value}'.");
        }

        (options.ShortWindowLimit, options.ShortWindow) = ParseWindow(windows[0]);
        (options.LongWindowLimit, options.LongWindow) = ParseWindow(windows[1]);
    }

    private static (int Limit, TimeSpan Window) ParseWindow(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1
            || parts[1].Length < 2 || !int.TryParse(parts[1][..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount < 1)
        {
            throw new FormatException($"A rate-limit window reads like 500/60s; not '{text}'.");
        }

        var window = parts[1][^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            _ => throw new FormatException($"A window's unit is s, m or h; not '{text}'."),
        };
        return (limit, window);
    }

    private static int ParseInt(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new FormatException($"{name} must be a whole number from {min} to {max}, not '{value}'.");
}
