namespace Blofin.Backfill.Sync;

/// <summary>Running totals of a <see cref="LeasedDatabaseFile"/> since it was created.</summary>
/// <param name="Cycles">Lease cycles run (each carries one or more merges).</param>
/// <param name="Merges">Merges uploaded.</param>
/// <param name="Failed">Merges that failed or were cancelled.</param>
/// <param name="Attempts">Leases taken (more than <paramref name="Cycles"/> when leases were lost).</param>
/// <param name="LeaseWaits">Times the lease was found held by another.</param>
/// <param name="BytesDownloaded">Bytes downloaded, by merges and by cold snapshot reads.</param>
/// <param name="BytesUploaded">Bytes uploaded.</param>
/// <param name="BlocksStaged">Blocks staged by uploads.</param>
/// <param name="BlocksReused">Blocks uploads committed again without moving them.</param>
public sealed record DatabaseSyncTotals(
    int Cycles,
    int Merges,
    int Failed,
    int Attempts,
    int LeaseWaits,
    long BytesDownloaded,
    long BytesUploaded,
    int BlocksStaged = 0,
    int BlocksReused = 0);
