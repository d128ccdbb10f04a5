using Blofin.Backfill.Storage;
using Blofin.Backfill.Sync;

namespace Blofin.Backfill.Backfill;

/// <summary>Where the candle database lives: a local file, or the leased blob.</summary>
/// <remarks>
/// Reads may see a stale copy (data only grows, so a stale copy can only make a plan over-fetch);
/// writes run on the freshest copy and may be run more than once (a lost lease starts the merge
/// over), so every write must be idempotent.
/// </remarks>
public interface ICandleStore
{
    /// <summary>Names the database for messages a person reads ("blob candles/candles.sqlite").</summary>
    string Description { get; }

    /// <summary>Runs <paramref name="read"/> on a readable copy of the database.</summary>
    Task<T> ReadAsync<T>(Func<CandleDatabase, CancellationToken, Task<T>> read, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="read"/> on the current version of the database, for what a person reads
    /// (a coverage report) rather than for a plan; takes no lock a writer holds. A store whose reads are always
    /// current needs nothing more than <see cref="ReadAsync"/>.</summary>
    Task<T> ReadCurrentAsync<T>(Func<CandleDatabase, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        ReadAsync(read, cancellationToken);

    /// <summary>Runs <paramref name="write"/> on the freshest copy and keeps what it wrote.</summary>
    Task<T> WriteAsync<T>(Func<CandleDatabase, CancellationToken, Task<T>> write, CancellationToken cancellationToken);

    /// <summary>Writes like <see cref="WriteAsync{T}"/>, and says what keeping the write moved to and from
    /// storage; the transfer is null for a store that moves nothing (a local file).</summary>
    async Task<(T Value, SyncTransfer? Transfer)> WriteWithTransferAsync<T>(
        Func<CandleDatabase, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        (await WriteAsync(write, cancellationToken), null);
}
