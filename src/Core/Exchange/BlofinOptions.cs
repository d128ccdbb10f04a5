using System.ComponentModel.DataAnnotations;

namespace Blofin.Backfill.Exchange;

/// <summary>How to reach Blofin and how politely: the configuration section <c>Blofin</c>.</summary>
public sealed class BlofinOptions
{
    public const string SectionName = "Blofin";

    /// <summary>The REST base URL (the simulator's address in tests and offline runs).</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://openapi.blofin.com");

    /// <summary>Timeout of one HTTP attempt, from sending to the last byte of the body; time spent waiting for the
    /// rate limiter does not count. Generous (Blofin answers a 1440-row page in well under a second): an answer that is
    /// merely late, on a busy exchange or a starved machine, is better awaited than abandoned and asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after a server error, connection failure or unreadable body (never after a client error, a 429
    /// or a 403); a timed-out attempt is retried once at most, whatever this says.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's delay; later ones double it, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The exchange's short window: 500 requests per IP per 60 s.</summary>
    [Range(2, 100_000)]
    public int ShortWindowLimit { get; set; } = 500;

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ShortWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The exchange's long window: 1500 requests per IP per 300 s.</summary>
    [Range(2, 1_000_000)]
    public int LongWindowLimit { get; set; } = 1500;

    [Range(typeof(TimeSpan), "00:00:00.100", "06:00:00")]
    public TimeSpan LongWindow { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Share of each window's budget left unused, so clock skew, network delay and other clients on the
    /// same IP never tip us over (0.05 = use 95%).</summary>
    [Range(0.0, 0.9)]
    public double SafetyMargin { get; set; } = 0.05;

    /// <summary>How long nothing is sent after a 429 (the exchange suspends the IP for 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "06:00:00")]
    public TimeSpan RateLimitedPause { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long nothing is sent after a 403 firewall ban (usually 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "06:00:00")]
    public TimeSpan BannedPause { get; set; } = TimeSpan.FromMinutes(5);
}
