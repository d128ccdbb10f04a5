using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Backfill;

/// <summary>
/// Blofin's instrument list, fetched once and kept for <see cref="CacheLifetime"/>: one request serves
/// every symbol's listing time and the <c>live</c> symbol list.
/// </summary>
public sealed class InstrumentCatalog(BlofinClient client, TimeProvider timeProvider) : IDisposable
{
    /// <summary>How long a fetched list is trusted; listings change rarely.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private Dictionary<string, Instrument>? _byId;
    private DateTimeOffset _fetchedAtUtc;

    /// <summary>Every instrument, in the exchange's order.</summary>
    public async Task<IReadOnlyCollection<Instrument>> GetAllAsync(CancellationToken cancellationToken) =>
        (await GetMapAsync(cancellationToken)).Values;

    /// <summary>The instrument named <paramref name="instId"/>.</summary>
    /// <exception cref="BlofinUnknownInstrumentException">The exchange does not list it.</exception>
    public async Task<Instrument> GetAsync(string instId, CancellationToken cancellationToken)
    {
        var map = await GetMapAsync(cancellationToken);
        return map.TryGetValue(instId, out var instrument)
            ? instrument
            : throw BlofinUnknownInstrumentException.NotListed(instId);
    }

    public void Dispose() => _refreshGate.Dispose();

    private async Task<Dictionary<string, Instrument>> GetMapAsync(CancellationToken cancellationToken)
    {
        var map = Volatile.Read(ref _byId);
        if (map is not null && timeProvider.GetUtcNow() - _fetchedAtUtc < CacheLifetime)
        {
            return map;
        }

        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            if (_byId is not null && timeProvider.GetUtcNow() - _fetchedAtUtc < CacheLifetime)
            {
                return _byId;
            }

            var instruments = await client.GetInstrumentsAsync(cancellationToken);
            var fresh = new Dictionary<string, Instrument>(StringComparer.Ordinal);
            foreach (var instrument in instruments)
            {
                fresh.TryAdd(instrument.InstId, instrument);
            }

            _fetchedAtUtc = timeProvider.GetUtcNow();
            Volatile.Write(ref _byId, fresh);
            return fresh;
        }
        finally
        {
            _refreshGate.Release();
        }
    }
}
