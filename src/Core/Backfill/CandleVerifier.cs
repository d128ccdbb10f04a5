using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Backfill;

/// <summary>Cross-checks the stored 1-minute candles against the exchange's own aggregation: rolls them up to
/// hours and compares each hour with Blofin's 1H candle. Open, high, low and close must be equal; volumes may
/// differ by a relative tolerance (sums of doubles). An hour with minutes neither stored nor proven absent is
/// incomplete and not compared.</summary>
public sealed class CandleVerifier(
    BlofinClient client,
    InstrumentCatalog instruments,
    TimeProvider timeProvider,
    ILogger<CandleVerifier> logger)
{
    /// <summary>The default relative volume tolerance: one part in a million.</summary>
    public const double DefaultVolumeTolerance = 1e-6;

    /// <summary>The most hours one call checks (1440 hourly candles: one request per symbol).</summary>
    public const int MaxHours = CandleQuery.MaxLimit;

    private const long HourMs = 3_600_000;
    private const long MinuteMs = 60_000;

    /// <summary>Checks the last <paramref name="hours"/> closed hours of each symbol, with one 1H request per symbol.</summary>
    /// <param name="volumeTolerance">Largest relative difference of a volume still counted equal.</param>
    /// <exception cref="BlofinUnknownInstrumentException">The exchange does not list a symbol (checked before any candle request).</exception>
    public async Task<VerificationReport> VerifyAsync(
        ICandleStore store,
        IReadOnlyList<string> symbols,
        int hours,
        double volumeTolerance,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hours, MaxHours);
        ArgumentOutOfRangeException.ThrowIfNegative(volumeTolerance);

        var listed = new List<Instrument>(symbols.Count);
        foreach (var instId in symbols)
        {
            listed.Add(await instruments.GetAsync(instId, cancellationToken));
        }

        var now = timeProvider.GetUtcNow();
        var lastHourMs = BarMath.Floor(now.ToUnixTimeMilliseconds(), HourMs) - HourMs;
        var firstHourMs = lastHourMs - ((hours - 1) * HourMs);
        var results = new List<SymbolVerification>(listed.Count);
        foreach (var instrument in listed)
        {
            var result = await VerifySymbolAsync(store, instrument, firstHourMs, lastHourMs, hours, volumeTolerance, cancellationToken);
            Log.Verified(logger, result.InstId, result.HoursChecked, result.Matched, result.Mismatches.Count, result.Incomplete.Count);
            results.Add(result);
        }

        return new VerificationReport(
            now, DateTimeOffset.FromUnixTimeMilliseconds(firstHourMs), DateTimeOffset.FromUnixTimeMilliseconds(lastHourMs), hours, volumeTolerance, results);
    }

    private async Task<SymbolVerification> VerifySymbolAsync(
        ICandleStore store,
        Instrument instrument,
        long firstHourMs,
        long lastHourMs,
        int hours,
        double volumeTolerance,
        CancellationToken cancellationToken)
    {
        var instId = instrument.InstId;
        var listedMs = BarMath.Ceiling(instrument.ListTimeMs, MinuteMs);
        var fromHourMs = Math.Max(firstHourMs, BarMath.Floor(listedMs, HourMs));
        var rows = await client.GetCandlesAsync(new CandleQuery(instId, Bar.OneHour, AfterMs: lastHourMs + HourMs, Limit: hours), cancellationToken);
        var exchange = rows.ToDictionary(row => row.OpenTimeMs);

        var (minutes, gaps) = await store.ReadAsync(
            async (database, ct) => (
                await database.GetCandlesAsync(instId, Bar.OneMinute, fromHourMs, lastHourMs + HourMs - MinuteMs, ct),
                await database.GetSourceGapsAsync(instId, Bar.OneMinute, fromHourMs, lastHourMs + HourMs - MinuteMs, ct)),
            cancellationToken);
        var byHour = minutes.GroupBy(m => BarMath.Floor(m.OpenTimeMs, HourMs)).ToDictionary(g => g.Key, g => g.ToList());

        int checkedHours = 0, matched = 0;
        var mismatches = new List<HourVerification>();
        var incomplete = new List<HourVerification>();
        for (var hourMs = fromHourMs; hourMs <= lastHourMs; hourMs += HourMs)
        {
            checkedHours++;
            var stored = byHour.GetValueOrDefault(hourMs) ?? [];
            exchange.TryGetValue(hourMs, out var theirs);
            var hourUtc = DateTimeOffset.FromUnixTimeMilliseconds(hourMs);
            var expected = (hourMs + HourMs - Math.Max(hourMs, listedMs)) / MinuteMs;
            var absent = AbsentMinutes(gaps, stored, hourMs, Math.Max(hourMs, listedMs));
            var missing = expected - stored.Count - absent;
            var exchangeCandle = theirs is null ? null : StoredCandle.From(theirs);
            if (missing > 0 || theirs is { IsConfirmed: false })
            {
                // Not every minute the exchange has is stored (or its hour is not final): nothing to compare yet.
                incomplete.Add(new HourVerification(hourUtc, Rollup(hourMs, stored), exchangeCandle, [], (int)Math.Max(missing, 0)));
                continue;
            }

            var ours = Rollup(hourMs, stored);
            var differences = Differences(ours, exchangeCandle, volumeTolerance);
            if (differences.Count == 0)
            {
                matched++;
                continue;
            }

            mismatches.Add(new HourVerification(hourUtc, ours, exchangeCandle, differences, 0));
            Log.HourMismatch(logger, instId, hourUtc, string.Join(',', differences));
        }

        return new SymbolVerification(instId, checkedHours, matched, mismatches, incomplete);
    }

    // Minutes of the hour (from its first listed minute) recorded absent at the exchange and not stored.
    private static long AbsentMinutes(IReadOnlyList<SourceGap> gaps, List<StoredCandle> stored, long hourMs, long firstMinuteMs)
    {
        var storedTimes = stored.Select(m => m.OpenTimeMs).ToHashSet();
        var absent = new HashSet<long>();
        foreach (var gap in gaps)
        {
            for (var ms = Math.Max(gap.Range.StartMs, firstMinuteMs); ms <= Math.Min(gap.Range.EndMs, hourMs + HourMs - MinuteMs); ms += MinuteMs)
            {
                if (!storedTimes.Contains(ms))
                {
                    absent.Add(ms);
                }
            }
        }

        return absent.Count;
    }

    /// <summary>The hour as the exchange should aggregate it: first open, highest high, lowest low, last close,
    /// summed volumes; null for an hour with no stored minute.</summary>
    private static StoredCandle? Rollup(long hourMs, List<StoredCandle> minutesAscending)
    {
        if (minutesAscending.Count == 0)
        {
            return null;
        }

        return new StoredCandle(
            hourMs,
            minutesAscending[0].Open,
            minutesAscending.Max(m => m.High),
            minutesAscending.Min(m => m.Low),
            minutesAscending[^1].Close,
            minutesAscending.Sum(m => m.Volume),
            minutesAscending.Sum(m => m.VolumeCurrency),
            minutesAscending.Sum(m => m.VolumeQuote));
    }

    private static List<string> Differences(StoredCandle? ours, StoredCandle? theirs, double volumeTolerance)
    {
        if (ours is null || theirs is null)
        {
            // Both empty agree (no minute stored, none aggregated); one side alone is a disagreement in every field.
            return ours is null && theirs is null ? [] : [.. StoredCandle.FieldNames];
        }

        var differences = new List<string>();
        foreach (var field in StoredCandle.FieldNames)
        {
            var (a, b) = (ours.Field(field), theirs.Field(field));
            var equal = field.StartsWith("vol", StringComparison.Ordinal)
                ? Math.Abs(a - b) <= volumeTolerance * Math.Max(Math.Abs(a), Math.Abs(b))
                : a.Equals(b);
            if (!equal)
            {
                differences.Add(field);
            }
        }

        return differences;
    }
}
