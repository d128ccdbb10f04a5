namespace Blofin.Backfill.Sync;

/// <summary>What a merge's apply returned, and what the upload that carried it moved.</summary>
public sealed record MergeResult<T>(T Value, SyncTransfer Transfer);
