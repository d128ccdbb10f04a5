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

    /// <summary>Rows asked for per request; Blofin serves at most 1440.</summary>
    [Range(1, 1440)]
    public int PageSize { get; set; } = 1440;

    /// <summary>Minutes younger than this are never declared absent at the exchange: it can publish late.</summary>
    [Range(0, 1440)]
    public int SettleMinutes { get; set; } = 10;

    /// <summary>Pages fetched at once per symbol (the process-wide rate limiter still governs).</summary>
    [Range(1, 64)]
    public int MaxConcurrentPages { get; set; } = 8;
}
