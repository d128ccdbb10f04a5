namespace Blofin.Backfill.Sync;

/// <summary>What committing a local file over the blob's committed blocks would stage, worked out before it moves.</summary>
/// <param name="Map">The file's blocks.</param>
/// <param name="Stage">The blocks not already committed at their place, in order.</param>
/// <param name="Unchanged">The file is the committed version, block for block: nothing would be committed.</param>
internal sealed record UploadPlan(BlockMap Map, IReadOnlyList<int> Stage, bool Unchanged)
{
    /// <summary>Bytes of block content the upload stages.</summary>
    public long BytesToStage => Stage.Sum(i => Map.LongLengthOf(i));

    /// <summary>Blocks the commit lists again without moving them.</summary>
    public int BlocksReused => Map.Count - Stage.Count;
}
