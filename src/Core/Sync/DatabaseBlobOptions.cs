using System.ComponentModel.DataAnnotations;

namespace Blofin.Backfill.Sync;

/// <summary>Where the database blob lives, where its local copy is cached and how its lease is held:
/// the configuration section <c>Backfill</c>.</summary>
public sealed class DatabaseBlobOptions
{
    public const string SectionName = "Backfill";

    /// <summary>The blob container holding the database (created when absent).</summary>
    [Required]
    [RegularExpression("^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "Container must be a valid blob container name: 3 to 63 lower-case letters, digits and single dashes, starting and ending with a letter or digit.")]
    public string Container { get; set; } = "candles";

    /// <summary>The database blob's name (created as an empty database when absent).</summary>
    [Required]
    [StringLength(1024, MinimumLength = 1)]
    public string DatabaseBlob { get; set; } = "candles.sqlite";

    /// <summary>The folder holding the local copy of the database, its ETag and the working copies.</summary>
    [Required]
    public string CacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "blofin-backfill", "cache");

    /// <summary>The blob lease's duration, renewed in the background while a merge holds it (Azure allows 15 to 60 s).</summary>
    [Range(typeof(TimeSpan), "00:00:15", "00:01:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a merge waits for another holder to give the lease up before it fails.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseAcquireTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first wait after finding the lease held; each further wait doubles, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan LeaseRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between two tries for the lease.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan LeaseRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times one merge cycle starts over after losing its lease before it fails.</summary>
    [Range(1, 100)]
    public int MaxMergeAttempts { get; set; } = 10;

    /// <summary>The most merges one lease cycle takes together; the rest wait for the next cycle.</summary>
    [Range(1, 10_000)]
    public int MaxMergesPerCycle { get; set; } = 256;
}
