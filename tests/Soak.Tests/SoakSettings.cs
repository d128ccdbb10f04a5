using System.Globalization;

namespace Blofin.Backfill.Soak;

/// <summary>The soak's size and faults, from <c>SOAK_*</c> environment variables; the defaults are the CI variant,
/// which finishes in under two minutes. <c>SOAK_SECONDS=600 SOAK_WORKERS=8 dotnet test tests/Soak.Tests</c> runs a
/// longer one.</summary>
internal sealed record SoakSettings
{
    /// <summary>Symbols kept complete (SOAK_SYMBOLS); beyond the simulator's 34 live ones, synthetic ones are listed.</summary>
    public int Symbols { get; init; } = 32;

    /// <summary>How long new rounds of messages keep coming (SOAK_SECONDS); the soak then drains what is left.</summary>
    public int Seconds { get; init; } = 20;

    /// <summary>Seconds between rounds (SOAK_TICK_SECONDS): a round is one message per symbol, as a timer tick sends.</summary>
    public int TickSeconds { get; init; } = 15;

    /// <summary>Worker processes kept running (SOAK_WORKERS, 1 to 16).</summary>
    public int Workers { get; init; } = 4;

    /// <summary>Workers SIGKILLed right after they took the database lease (SOAK_KILLS).</summary>
    public int Kills { get; init; } = 2;

    /// <summary>Leases broken from outside while a worker holds them (SOAK_LEASE_BREAKS).</summary>
    public int LeaseBreaks { get; init; } = 1;

    /// <summary>Length of the firewall ban in the middle (SOAK_BAN_SECONDS); the clients pause exactly as long.</summary>
    public int BanSeconds { get; init; } = 6;

    /// <summary>The rolling window (SOAK_LOOKBACK_HOURS).</summary>
    public int LookbackHours { get; init; } = 48;

    /// <summary>Valid messages sent a second time per round, in another accepted form (SOAK_DUPLICATES).</summary>
    public int Duplicates { get; init; } = 8;

    /// <summary>Shares of exchange replies that are HTTP 500, slow, an HTML page, or cut in half (SOAK_SERVER_ERROR_RATE,
    /// SOAK_SLOW_RATE, SOAK_MALFORMED_RATE, SOAK_TRUNCATED_RATE).</summary>
    public double ServerErrorRate { get; init; } = 0.05;

    public double SlowRate { get; init; } = 0.03;

    public double MalformedRate { get; init; } = 0.02;

    public double TruncatedRate { get; init; } = 0.02;

    /// <summary>How long a slow reply takes; well past <see cref="AttemptTimeout"/>, so the client gives up and retries.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>Long enough for a normal page on a loaded machine (a 1-second timeout turned every page of a busy CI
    /// box into a timeout and a retry storm), short enough that a slow reply is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How long a message in flight stays hidden (renewed while handled): a killed worker's messages come
    /// back this soon.</summary>
    public int MessageVisibilitySeconds { get; init; } = 10;

    /// <summary>Pages fetched at once per message; with the drain's batch of 8 it bounds the requests one process
    /// can have in flight.</summary>
    public int MaxConcurrentPages { get; init; } = 4;

    /// <summary>Seeds the faults, the duplicates and the choice of workers (SOAK_SEED; random when absent, and printed).</summary>
    public int Seed { get; init; } = Random.Shared.Next(1, int.MaxValue);

    /// <summary>Everything stops by then (SOAK_TIMEOUT_SECONDS; default 110 s for the CI variant, longer runs get
    /// SOAK_SECONDS + 120 s).</summary>
    public int TimeoutSeconds { get; init; } = 110;

    public static SoakSettings FromEnvironment()
    {
        var defaults = new SoakSettings();
        var seconds = Int("SOAK_SECONDS", defaults.Seconds, 1, 24 * 3600);
        var settings = defaults with
        {
            Symbols = Int("SOAK_SYMBOLS", defaults.Symbols, 1, 500),
            Seconds = seconds,
            TickSeconds = Int("SOAK_TICK_SECONDS", defaults.TickSeconds, 1, 3600),
            Workers = Int("SOAK_WORKERS", defaults.Workers, 1, 16),
            Kills = Int("SOAK_KILLS", defaults.Kills, 0, 1000),
            LeaseBreaks = Int("SOAK_LEASE_BREAKS", defaults.LeaseBreaks, 0, 1000),
            BanSeconds = Int("SOAK_BAN_SECONDS", defaults.BanSeconds, 1, 600),
            LookbackHours = Int("SOAK_LOOKBACK_HOURS", defaults.LookbackHours, 2, 168),
            Duplicates = Int("SOAK_DUPLICATES", defaults.Duplicates, 0, 500),
            ServerErrorRate = Rate("SOAK_SERVER_ERROR_RATE", defaults.ServerErrorRate),
            SlowRate = Rate("SOAK_SLOW_RATE", defaults.SlowRate),
            MalformedRate = Rate("SOAK_MALFORMED_RATE", defaults.MalformedRate),
            TruncatedRate = Rate("SOAK_TRUNCATED_RATE", defaults.TruncatedRate),
            Seed = Int("SOAK_SEED", defaults.Seed, 1, int.MaxValue),
            TimeoutSeconds = Int("SOAK_TIMEOUT_SECONDS", seconds <= defaults.Seconds ? defaults.TimeoutSeconds : seconds + 120, 10, 48 * 3600),
        };
        return settings;
    }

    /// <summary>The drain's batch (the CLI's default, as host.json's batchSize).</summary>
    public const int BatchSize = 8;

    /// <summary>The most HTTP requests one worker process can have in flight at once: a batch of messages, each
    /// fetching at most <see cref="MaxConcurrentPages"/> pages at once (or its one instruments request).</summary>
    public int InFlightPerProcess => BatchSize * MaxConcurrentPages;

    /// <summary>Processes whose requests can fall in one window of <paramref name="window"/>: every slot's current
    /// worker, plus each replacement started within that window (a killed worker's requests still count at the IP,
    /// and its replacement starts with a fresh budget). The kills are spread evenly over <see cref="Seconds"/>.</summary>
    public int ProcessesPerWindow(TimeSpan window)
    {
        if (Kills == 0)
        {
            return Workers;
        }

        var spacing = TimeSpan.FromSeconds(Seconds) / (Kills + 1);
        var killsInWindow = Math.Min(Kills, (int)Math.Ceiling(window / spacing) + 1);
        return Workers + killsInWindow;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"symbols {Symbols}, seconds {Seconds} (tick {TickSeconds}), workers {Workers}, kills {Kills}, lease breaks {LeaseBreaks}, ban {BanSeconds} s, lookback {LookbackHours} h, duplicates {Duplicates}/round, faults 5xx {ServerErrorRate:P0} slow {SlowRate:P0} malformed {MalformedRate:P0} truncated {TruncatedRate:P0}, seed {Seed}, timeout {TimeoutSeconds} s");

    private static int Int(string name, int fallback, int min, int max)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"{name} must be a whole number from {min} to {max}, not '{text}'.");
    }

    private static double Rate(string name, double fallback)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
            ? value
            : throw new InvalidOperationException($"{name} must be a share from 0 to 1 (0.05 = 5%), not '{text}'.");
    }
}
