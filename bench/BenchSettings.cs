using System.Globalization;

namespace Blofin.Backfill.Bench;

/// <summary>What to run, from the command line: <c>[--quick] [--symbols N] [--json FILE] [--rate-limits L/W,L/W]
/// [--latency 50ms] [--instances N] [--drainers N] [--rate-symbols N] [--history-weeks N] [--only a,b]</c>.</summary>
internal sealed record BenchSettings
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench -- [options]
               dotnet run -c Release --project bench -- micro [BenchmarkDotNet options]

          --quick               shrink every scenario so the whole run takes well under 3 minutes
          --symbols N           symbols of the full fill, steady tick, gap repair and baseline (default 32; --quick 4)
          --rate-symbols N      symbols of the rate-bound fill (default 96; --quick 24)
          --rate-limits L/W,L/W the simulator's two windows in the rate-bound fill (default 500/6s,1500/30s; --quick 50/1s,150/5s)
          --rate-margin M       the client's Blofin:SafetyMargin in the rate-bound fill (default 0.05)
          --latency D           the simulator's delay per request (default 50ms)
          --instances N         worker instances (own service container, cache and rate gate) in the fill, tick and repair (default 2)
          --drainers N          queue drainers per instance (default 2)
          --history-weeks N     weeks of history the blob holds before the steady tick (default 1: the fill's own week;
                                more are bulk-inserted before the fill's window, not timed)
          --only a,b            run only these scenarios (fullFill, baseline, rateBound, steadyTick, gapRepair)
          --json FILE           also write the results as one JSON document
        """;

    public bool Quick { get; init; }

    public int Symbols { get; init; } = 32;

    public int RateSymbols { get; init; } = 96;

    public RateLimit RateShort { get; init; } = new(500, TimeSpan.FromSeconds(6));

    public RateLimit RateLong { get; init; } = new(1500, TimeSpan.FromSeconds(30));

    public double RateSafetyMargin { get; init; } = 0.05;

    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(50);

    public int Instances { get; init; } = 2;

    public int DrainersPerInstance { get; init; } = 2;

    public int LookbackHours { get; init; } = 168;

    /// <summary>Weeks of history the database holds before the steady tick: the fill's own window and, beyond the
    /// first week, older weeks bulk-inserted untimed (<see cref="Scenarios.History"/>).</summary>
    public int HistoryWeeks { get; init; } = 1;

    /// <summary>Gaps cut into each symbol before the gap repair.</summary>
    public int GapsPerSymbol { get; init; } = 20;

    public IReadOnlySet<string>? Only { get; init; }

    public string? JsonPath { get; init; }

    public bool Runs(string scenario) => Only is null || Only.Contains(scenario);

    /// <exception cref="FormatException">An option is unknown or its value is not valid.</exception>
    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        var quick = args.Contains("--quick");
        var settings = quick
            ? new BenchSettings { Quick = true, Symbols = 4, RateSymbols = 24, RateShort = new(50, TimeSpan.FromSeconds(1)), RateLong = new(150, TimeSpan.FromSeconds(5)) }
            : new BenchSettings();

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value.");
            settings = name switch
            {
                "--quick" => settings,
                "--symbols" => settings with { Symbols = Positive(name, Value()) },
                "--rate-symbols" => settings with { RateSymbols = Positive(name, Value()) },
                "--rate-limits" => RateLimit.ParsePair(Value()) is var (s, l) ? settings with { RateShort = s, RateLong = l } : settings,
                "--rate-margin" => settings with { RateSafetyMargin = Margin(Value()) },
                "--latency" => settings with { Latency = RateLimit.ParseDuration(Value()) },
                "--instances" => settings with { Instances = Positive(name, Value()) },
                "--drainers" => settings with { DrainersPerInstance = Positive(name, Value()) },
                "--history-weeks" => settings with { HistoryWeeks = Positive(name, Value()) },
                "--only" => settings with { Only = Value().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal) },
                "--json" => settings with { JsonPath = Value() },
                _ => throw new FormatException($"Unknown option '{name}'."),
            };
        }

        if (settings.Only is { } only && only.FirstOrDefault(s => !ScenarioNames.All.Contains(s)) is { } unknown)
        {
            throw new FormatException($"--only: unknown scenario '{unknown}'; the scenarios are {string.Join(", ", ScenarioNames.All)}.");
        }

        return settings;
    }

    private static double Margin(string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var m) && m is >= 0 and <= 0.9
            ? m
            : throw new FormatException($"--rate-margin takes a share from 0 to 0.9; '{value}' is not.");

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"{name} takes a positive whole number; '{value}' is not.");
}
