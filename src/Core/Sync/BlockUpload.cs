using Azure;

namespace Blofin.Backfill.Sync;

/// <summary>What committing a local file as the next version of the blob moved.</summary>
/// <param name="ETag">The new version.</param>
/// <param name="Map">Its committed blocks.</param>
/// <param name="BytesUploaded">Bytes of block content staged.</param>
/// <param name="BlocksStaged">Blocks staged (Put Block).</param>
/// <param name="BlocksReused">Blocks already committed, listed again without moving.</param>
internal sealed record BlockUpload(ETag ETag, BlockMap Map, long BytesUploaded, int BlocksStaged, int BlocksReused);
