namespace Blofin.Backfill.Sync;

/// <summary>What bringing a local file to one version of the blob moved.</summary>
/// <param name="Map">The version's committed blocks.</param>
/// <param name="BytesDownloaded">Bytes of block content read from the blob.</param>
/// <param name="BlocksFetched">Blocks read from the blob (a blob without a map counts as one).</param>
/// <param name="BlocksReused">Blocks taken from the local copy instead.</param>
internal sealed record BlockDownload(BlockMap Map, long BytesDownloaded, int BlocksFetched, int BlocksReused);
