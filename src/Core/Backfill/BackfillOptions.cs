using System.ComponentModel.DataAnnotations;

namespace Blofin.Backfill.Backfill;

/// <summary>What to keep complete and how: the configuration section <c>Backfill</c>.</summary>
public sealed class BackfillOptions
{
    public const string SectionName = "Backfill";

    /// <summary>A comma list of instrument IDs, or <c>live</c> for every live instrument.</summary>
    [Required]
    public string Symbols { get; set; } = "BTC-USDT,ETH-USDT,SOL-USDT,SHIB-USDT";

    /// <summary>In <c>live</c> mode, keep only instruments quoted in this currency (empty: all).</summary>
    public string? QuoteCurrency { get; set; } = "USDT";

    /// <summary>The bar kept complete.</summary>
    [Required]
    public string Bar { get; set; } = "1m";

    /// <summary>The rolling window, in hours back from the last closed minute.</summary>
    [Range(1, 24 * 366)]
    public int LookbackHours { get; set; } = 168;

    /// <summary>Days of history kept; empty (the default) keeps everything. When set, each run's merge deletes its
    /// symbol's candles (and source gaps, revisions and runs) older than this, never inside its own window; the file
    /// then stops growing (freed pages are reused). At least <see cref="LookbackHours"/>.</summary>
    [Range(1, 36_600)]
    public int? RetentionDays { get; set; }

    /// <summary>Rows asked for per request; Blofin serves at most 1440.</summary>
    [Range(1, 1440)]
    public int PageSize { get; set; } = 1440;

    /// <summary>Minutes younger than this are never declared absent at the exchange: it can publish late.</summary>
    [Range(0, 1440)]
    public int SettleMinutes { get; set; } = 10;

    /// <summary>A hole proven at the exchange is asked for once more this long after it was found, folded into a
    /// page fetched anyway where one reaches it; what the exchange still lacks then is final, never asked for again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan HoleRecheckAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A symbol below this share (percent) of the minutes the exchange has is reported below the threshold:
    /// the timer logs one warning naming such symbols, and the coverage document lists them.</summary>
    [Range(0.0, 100.0)]
    public double AlertBelowPercent { get; set; } = 99.9;

    /// <summary>The newest minutes of the window not counted against <see cref="AlertBelowPercent"/>: they are
    /// missing until the next tick fetches them. Keep it a little longer than the schedule's period.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan AlertGrace { get; set; } = TimeSpan.FromMinutes(35);

    /// <summary>Pages fetched at once per symbol (the process-wide rate limiter still governs).</summary>
    [Range(1, 64)]
    public int MaxConcurrentPages { get; set; } = 8;

    /// <summary>The queue the timer fills and the worker drains; bound from the top-level
    /// <c>BackfillQueueName</c> setting, the same one the queue trigger's binding reads.</summary>
    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$", ErrorMessage = "BackfillQueueName must be a valid Storage queue name: 3-56 lower-case letters, digits and single hyphens (the poison queue adds '-poison').")]
    public string QueueName { get; set; } = "backfill-requests";

    /// <summary>A timer message older than this is dropped unprocessed, so a backlog never piles up
    /// ticks; keep it shorter than the schedule's period.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan MessageTimeToLive { get; set; } = TimeSpan.FromMinutes(25);

    /// <summary>The timer's messages become visible spread over this interval, so the exchange sees a
    /// smooth rate instead of one burst per tick.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan EnqueueSpread { get; set; } = TimeSpan.FromMinutes(2);
}
