using Blofin.Backfill.Backfill;
using Blofin.Backfill.Sync;

namespace Blofin.Backfill.Bench;

/// <summary>What the steady tick moved between the blob and the workers with the block map, against what whole-file
/// transfer would have moved in the same tick (the JSON's <c>deltaSync</c>).</summary>
/// <remarks>
/// <see cref="UploadedBytes"/> and <see cref="DownloadedBytes"/> are the library's counters (<see cref="DatabaseSyncTotals"/>):
/// block content staged and fetched, without the block lists (Put Block List, Get Block List). The <c>Wire*</c> figures
/// are the HTTP body bytes a counting proxy in front of the blob endpoint saw during the tick, lists included.
/// Whole-file transfer is computed, not run (the library has no switch for it): every upload cycle would upload the
/// whole file, every download of a stale copy would download it.
/// </remarks>
internal sealed class DeltaSyncResult
{
    public const string WholeFileMethod =
        "computed: the file's size after each upload cycle, once per cycle up and once per cycle that refreshed a stale copy down";

    public int HistoryWeeks { get; init; }

    /// <summary>The database file's size after the tick.</summary>
    public long FileBytes { get; init; }

    /// <summary>Block content staged (library counter, block lists not included).</summary>
    public long UploadedBytes { get; init; }

    /// <summary>Block content fetched (library counter, block lists not included).</summary>
    public long DownloadedBytes { get; init; }

    public long WholeFileUploadedBytes { get; init; }

    public long WholeFileDownloadedBytes { get; init; }

    public string Method => WholeFileMethod;

    /// <summary>Lease cycles that uploaded (each a whole file without the map).</summary>
    public int UploadCycles { get; init; }

    /// <summary>Cycles that began by bringing a stale cached copy up to date.</summary>
    public int StaleDownloads { get; init; }

    public int BlocksStaged { get; init; }

    public int BlocksReused { get; init; }

    /// <summary>Request bodies sent to the blob endpoint during the tick (blocks, block lists, everything).</summary>
    public long WireUploadedBytes { get; init; }

    /// <summary>Response bodies received from the blob endpoint during the tick (ranged reads, block lists, everything).</summary>
    public long WireDownloadedBytes { get; init; }

    /// <summary>Put Block List bodies: what the library's upload counter leaves out.</summary>
    public long BlockListUploadedBytes { get; init; }

    /// <summary>Get Block List bodies: what the library's download counter leaves out.</summary>
    public long BlockListDownloadedBytes { get; init; }

    /// <summary>Whole-file bytes (both ways) over the library's counted bytes.</summary>
    public double? Reduction => Ratio(WholeFileUploadedBytes + WholeFileDownloadedBytes, UploadedBytes + DownloadedBytes);

    /// <summary>Whole-file bytes (both ways) over the bytes on the wire, block lists included.</summary>
    public double? WireReduction => Ratio(WholeFileUploadedBytes + WholeFileDownloadedBytes, WireUploadedBytes + WireDownloadedBytes);

    /// <summary>Requests and body bytes by blob operation, as the proxy counted them.</summary>
    public IReadOnlyDictionary<string, WireTraffic>? Wire { get; init; }

    /// <summary>Sums the tick's figures: the totals of its instances, each cycle's transfer (every merge of a cycle
    /// holds the cycle's figures, shared by <see cref="SyncTransfer.SharedBy"/> merges) and the proxy's counts.</summary>
    public static DeltaSyncResult From(
        int historyWeeks, DatabaseSyncTotals totals, IEnumerable<BackfillResult> results, IReadOnlyDictionary<string, WireTraffic> wire)
    {
        var transfers = results.Select(r => r.Sync).OfType<SyncTransfer>().Where(t => t.SharedBy > 0).ToList();
        double cycles = 0, stale = 0, wholeUp = 0, wholeDown = 0;
        foreach (var t in transfers)
        {
            var share = 1.0 / t.SharedBy;
            cycles += share;
            wholeUp += t.FileBytes * share;
            if (t.BytesDownloaded > 0)
            {
                stale += share;
                wholeDown += t.FileBytes * share;
            }
        }

        return new DeltaSyncResult
        {
            HistoryWeeks = historyWeeks,
            FileBytes = transfers.Count == 0 ? 0 : transfers.Max(t => t.FileBytes),
            UploadedBytes = totals.BytesUploaded,
            DownloadedBytes = totals.BytesDownloaded,
            WholeFileUploadedBytes = (long)Math.Round(wholeUp),
            WholeFileDownloadedBytes = (long)Math.Round(wholeDown),
            UploadCycles = (int)Math.Round(cycles),
            StaleDownloads = (int)Math.Round(stale),
            BlocksStaged = totals.BlocksStaged,
            BlocksReused = totals.BlocksReused,
            WireUploadedBytes = wire.Values.Sum(w => w.Sent),
            WireDownloadedBytes = wire.Values.Sum(w => w.Received),
            BlockListUploadedBytes = wire.GetValueOrDefault("Put Block List")?.Sent ?? 0,
            BlockListDownloadedBytes = wire.GetValueOrDefault("Get Block List")?.Received ?? 0,
            Wire = wire,
        };
    }

    private static double? Ratio(long whole, long moved) => moved > 0 ? Math.Round((double)whole / moved, 1) : null;
}
