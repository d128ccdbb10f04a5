using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Export;

/// <summary>Candle databases for the export tests, written with <see cref="CandleDatabase.InsertMissingAsync"/>: every
/// value is a function of the symbol and the minute, so a test can say what any exported row must hold.</summary>
internal static class ExportTestData
{
    public const long Minute = 60_000;

    /// <summary>2025-01-06T00:00Z.</summary>
    public const long T0 = 1_736_121_600_000;

    public static readonly DateTimeOffset T0Utc = DateTimeOffset.FromUnixTimeMilliseconds(T0);

    /// <summary>"Now" for the tests: long after every stored minute, so no bar of a range is still forming.</summary>
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 30, TimeSpan.Zero);

    public static long M(int minute) => T0 + (minute * Minute);

    /// <summary>The candle of <paramref name="instId"/> at <paramref name="minute"/>: distinct per minute and per first
    /// letter of the symbol (B: open 101 + minute / 100), with fractions that exercise number formatting.</summary>
    public static Candle At(string instId, int minute)
    {
        var basePrice = 100m + (instId[0] - 'A') + (minute * 0.01m);
        var contracts = (minute % 97) + 1m;
        var baseVolume = contracts / 1000m;
        var close = basePrice + 0.125m;
        return new Candle(M(minute), basePrice, basePrice + 0.5m, basePrice - 0.25m, close, contracts, baseVolume, baseVolume * close, IsConfirmed: true);
    }

    /// <summary>What the database hands back for <see cref="At"/> (its REAL columns).</summary>
    public static StoredCandle Stored(string instId, int minute)
    {
        var c = At(instId, minute);
        return new StoredCandle(
            c.OpenTimeMs, (double)c.Open, (double)c.High, (double)c.Low, (double)c.Close, (double)c.Volume, (double)c.VolumeCurrency, (double)c.VolumeQuote);
    }

    /// <summary>Stores minutes 0..<paramref name="minutes"/>-1 of every symbol, except those <paramref name="skip"/> names.</summary>
    public static async Task CreateAsync(string path, IReadOnlyList<string> symbols, int minutes, Func<int, bool>? skip, CancellationToken cancellationToken)
    {
        await using var database = await CandleDatabase.OpenAsync(path, cancellationToken);
        foreach (var instId in symbols)
        {
            await database.InsertMissingAsync(
                instId,
                Bar.OneMinute,
                Enumerable.Range(0, minutes).Where(m => skip?.Invoke(m) != true).Select(m => At(instId, m)),
                cancellationToken);
        }
    }

    /// <summary>Records minutes <paramref name="fromMinute"/>..<paramref name="toMinute"/> as proved absent at the exchange.</summary>
    public static async Task AddHoleAsync(string path, string instId, int fromMinute, int toMinute, CancellationToken cancellationToken)
    {
        await using var database = await CandleDatabase.OpenAsync(path, cancellationToken);
        await database.AddSourceGapsAsync(
            instId,
            Bar.OneMinute,
            [new SourceGap(new TimeRange(M(fromMinute), M(toMinute)), SourceGapReason.Hole, M(toMinute + 10), M(toMinute + 2), 1440, M(toMinute + 1), M(fromMinute - 1))],
            cancellationToken);
    }
}
