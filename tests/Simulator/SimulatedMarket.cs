using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Blofin.Simulator;

/// <summary>The simulated exchange's data: deterministic candles for every listed instrument and bar, as of the
/// simulator's clock. Tests read it to know what the exchange holds.</summary>
public sealed class SimulatedMarket
{
    private const long MinuteMs = 60_000;

    private readonly Dictionary<string, PriceModel> _models;
    private readonly Dictionary<string, HashSet<long>> _holes;
    private readonly Dictionary<string, Dictionary<long, long>> _lateFills;
    private readonly Dictionary<(string InstId, long OpenTimeMs), SimulatedRevision> _revisions;
    private readonly Dictionary<(string InstId, string Bar, long OpenTimeMs), SimulatedDisagreement> _disagreements;
    private readonly HashSet<string> _changingOverTime;
    private readonly long _publishDelayMs;
    private readonly TimeSpan? _historyRetention;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<(string InstId, string Bar, long OpenTimeMs), SimulatedCandle> _closedBars = new();

    internal SimulatedMarket(SimulatorOptions options, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _historyRetention = options.HistoryRetention;
        var startedMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        _models = new Dictionary<string, PriceModel>(StringComparer.Ordinal);
        foreach (var instrument in options.Instruments)
        {
            var listTimeMs = instrument.ListedAgo is { } ago
                ? startedMs - (long)ago.TotalMilliseconds
                : (instrument.ListTime ?? SimulatedInstrument.DefaultListTime).ToUnixTimeMilliseconds();
            _models[instrument.InstId] = new PriceModel(instrument, options.Seed, listTimeMs - (listTimeMs % MinuteMs));
        }

        Instruments = [.. options.Instruments];
        _holes = options.Holes.ToDictionary(pair => pair.Key, pair => new HashSet<long>(pair.Value), StringComparer.Ordinal);
        _lateFills = options.LateFills.ToDictionary(
            pair => pair.Key, pair => pair.Value.ToDictionary(fill => fill.Key, fill => fill.Value.ToUnixTimeMilliseconds()), StringComparer.Ordinal);
        _revisions = options.Revisions.ToDictionary(r => (r.InstId, r.OpenTimeMs));
        _disagreements = options.Disagreements.ToDictionary(d => (d.InstId, d.Bar, d.OpenTimeMs));
        _publishDelayMs = (long)options.PublishDelay.TotalMilliseconds;

        // Closed candles of these instruments change with the clock (a late fill, a revision), so their aggregates
        // are never cached.
        _changingOverTime = [.. _lateFills.Keys, .. _revisions.Keys.Select(key => key.InstId)];
    }

    /// <summary>The documented bar names, shortest first.</summary>
    public static IReadOnlyList<string> Bars { get; } = [.. SimulatedBar.Names];

    public IReadOnlyList<SimulatedInstrument> Instruments { get; }

    /// <summary>The simulator's clock: the newest candle is the one of this minute, still forming.</summary>
    public DateTimeOffset UtcNow => _timeProvider.GetUtcNow();

    public bool IsListed(string instId) => _models.ContainsKey(instId);

    /// <summary>The listing time (a whole minute): no candle opens before it.</summary>
    public long ListTimeMs(string instId) => Model(instId).ListTimeMs;

    /// <summary>The oldest open time served now for this bar (moves with the clock when history is retained for a
    /// limited time).</summary>
    public long OldestOpenTimeMs(string instId, string bar)
    {
        var model = Model(instId);
        var simulatedBar = ParseBar(bar);
        return OldestOpenTimeMs(model, simulatedBar, UtcNow.ToUnixTimeMilliseconds());
    }

    /// <summary>Whether the minute has no candle now: a hole, or a late-filled minute before its fill time.</summary>
    public bool IsHole(string instId, long openTimeMs) => IsHole(instId, openTimeMs, UtcNow.ToUnixTimeMilliseconds());

    /// <summary>The candle of <paramref name="bar"/> opening at <paramref name="openTimeMs"/>, as served now; false
    /// when the exchange has none (before listing or retention, in the future, not on a bar boundary, a hole).</summary>
    public bool TryGetCandle(string instId, string bar, long openTimeMs, [NotNullWhen(true)] out SimulatedCandle? candle)
    {
        var model = Model(instId);
        var simulatedBar = ParseBar(bar);
        var nowMs = UtcNow.ToUnixTimeMilliseconds();
        candle = simulatedBar.Floor(openTimeMs) == openTimeMs && openTimeMs >= OldestOpenTimeMs(model, simulatedBar, nowMs)
            ? Build(model, simulatedBar, openTimeMs, nowMs)
            : null;
        return candle is not null;
    }

    /// <summary>Exactly the rows a candles request gets: <c>before &lt; ts &lt; after</c>, newest first, at most
    /// <paramref name="limit"/>.</summary>
    public IReadOnlyList<SimulatedCandle> GetCandles(string instId, string bar, long? afterMs, long? beforeMs, int limit)
    {
        var model = Model(instId);
        var simulatedBar = ParseBar(bar);
        return Query(model, simulatedBar, afterMs, beforeMs, limit, UtcNow.ToUnixTimeMilliseconds());
    }

    internal bool TryGetModel(string instId, [NotNullWhen(true)] out PriceModel? model) => _models.TryGetValue(instId, out model);

    internal List<SimulatedCandle> Query(PriceModel model, SimulatedBar bar, long? afterMs, long? beforeMs, int limit, long nowMs)
    {
        var rows = new List<SimulatedCandle>(Math.Min(limit, 1440));
        var newest = bar.Floor(Math.Min(afterMs is { } after ? after - 1 : long.MaxValue, nowMs));
        var oldest = OldestOpenTimeMs(model, bar, nowMs);
        for (var open = newest; open >= oldest && rows.Count < limit && (beforeMs is not { } before || open > before); open = bar.Previous(open))
        {
            if (Build(model, bar, open, nowMs) is { } candle)
            {
                rows.Add(candle);
            }
        }

        return rows;
    }

    /// <summary>The candle covering the last 24 hours, for the tickers endpoint.</summary>
    internal SimulatedCandle? Last24Hours(PriceModel model, long nowMs)
    {
        var currentMinute = nowMs / MinuteMs;
        return Aggregate(model, Math.Max(currentMinute - 1_439, model.ListMinute), currentMinute + 1, nowMs, (currentMinute - 1_439) * MinuteMs, isConfirmed: false);
    }

    private long OldestOpenTimeMs(PriceModel model, SimulatedBar bar, long nowMs)
    {
        if (!bar.IsMinute)
        {
            return bar.Floor(model.ListTimeMs);
        }

        var oldest = model.ListTimeMs;
        if (_historyRetention is { } retention)
        {
            var retained = nowMs - (long)retention.TotalMilliseconds;
            oldest = Math.Max(oldest, retained - (((retained % MinuteMs) + MinuteMs) % MinuteMs));
        }

        return oldest;
    }

    private SimulatedCandle? Build(PriceModel model, SimulatedBar bar, long openMs, long nowMs)
    {
        var currentMinute = nowMs / MinuteMs;
        var closeMs = bar.Next(openMs);
        var instId = model.Instrument.InstId;
        if (bar.IsMinute)
        {
            var minute = openMs / MinuteMs;
            if (minute > currentMinute || minute < model.ListMinute || IsHole(instId, openMs, nowMs))
            {
                return null;
            }

            return MinuteCandle(model, minute, nowMs);
        }

        // A bar is confirmed once its last minute is.
        var isConfirmed = closeMs + _publishDelayMs <= nowMs;
        var cacheable = isConfirmed && !_changingOverTime.Contains(instId);
        if (!cacheable || !_closedBars.TryGetValue((instId, bar.Name, openMs), out var candle))
        {
            var first = Math.Max(openMs / MinuteMs, model.ListMinute);
            var end = Math.Min(closeMs / MinuteMs, currentMinute + 1);
            candle = Aggregate(model, first, end, nowMs, openMs, isConfirmed);
            if (candle is not null && cacheable)
            {
                _closedBars.TryAdd((instId, bar.Name, openMs), candle);
            }
        }

        return candle is not null && _disagreements.TryGetValue((instId, bar.Name, openMs), out var disagreement)
            ? Disagree(candle, disagreement, model.Instrument)
            : candle;
    }

    /// <summary>The candle of one minute as served at <paramref name="nowMs"/>: forming until it closes, then
    /// complete but still unconfirmed for the publish delay, then confirmed (and revised once a revision is due).</summary>
    private SimulatedCandle MinuteCandle(PriceModel model, long minute, long nowMs)
    {
        var openMs = minute * MinuteMs;
        var closed = openMs + MinuteMs <= nowMs;
        var confirmed = openMs + MinuteMs + _publishDelayMs <= nowMs;
        var candle = model.Minute(minute, closed ? 1 : (nowMs - openMs) / (double)MinuteMs, confirmed);
        return confirmed && _revisions.TryGetValue((model.Instrument.InstId, openMs), out var revision) && nowMs >= revision.RevisedAtUtc.ToUnixTimeMilliseconds()
            ? Revise(candle, revision, model.Instrument)
            : candle;
    }

    private bool IsHole(string instId, long openTimeMs, long nowMs) =>
        (_holes.TryGetValue(instId, out var holes) && holes.Contains(openTimeMs))
        || (_lateFills.TryGetValue(instId, out var fills) && fills.TryGetValue(openTimeMs, out var filledAtMs) && nowMs < filledAtMs);

    private static SimulatedCandle Revise(SimulatedCandle candle, SimulatedRevision revision, SimulatedInstrument instrument)
    {
        var high = candle.High + (revision.HighTicks * instrument.TickSize);
        var volume = candle.Volume + revision.AddedContracts;
        var volumeCurrency = volume * instrument.ContractValue;
        return candle with
        {
            High = high,
            Volume = volume,
            VolumeCurrency = volumeCurrency,
            VolumeQuote = decimal.Round(volumeCurrency * ((candle.Open + high + candle.Low + candle.Close) / 4), 4),
        };
    }

    private static SimulatedCandle Disagree(SimulatedCandle candle, SimulatedDisagreement disagreement, SimulatedInstrument instrument)
    {
        var close = Math.Max(instrument.TickSize, candle.Close + (disagreement.CloseTicks * instrument.TickSize));
        return candle with
        {
            Close = close,
            High = Math.Max(candle.High, close),
            Low = Math.Min(candle.Low, close),
            Volume = candle.Volume * disagreement.VolumeFactor,
            VolumeCurrency = candle.VolumeCurrency * disagreement.VolumeFactor,
            VolumeQuote = candle.VolumeQuote * disagreement.VolumeFactor,
        };
    }

    /// <summary>The minutes [<paramref name="firstMinute"/>, <paramref name="endMinute"/>) summed into one candle,
    /// holes skipped; null when none of them has a candle.</summary>
    private SimulatedCandle? Aggregate(PriceModel model, long firstMinute, long endMinute, long nowMs, long openMs, bool isConfirmed)
    {
        SimulatedCandle? result = null;
        for (var minute = firstMinute; minute < endMinute; minute++)
        {
            if (IsHole(model.Instrument.InstId, minute * MinuteMs, nowMs))
            {
                continue;
            }

            var candle = MinuteCandle(model, minute, nowMs);
            result = result is null
                ? candle with { OpenTimeMs = openMs, IsConfirmed = isConfirmed }
                : result with
                {
                    High = Math.Max(result.High, candle.High),
                    Low = Math.Min(result.Low, candle.Low),
                    Close = candle.Close,
                    Volume = result.Volume + candle.Volume,
                    VolumeCurrency = result.VolumeCurrency + candle.VolumeCurrency,
                    VolumeQuote = result.VolumeQuote + candle.VolumeQuote,
                };
        }

        return result;
    }

    private PriceModel Model(string instId) =>
        _models.TryGetValue(instId, out var model) ? model : throw new ArgumentException($"The simulator does not list '{instId}'.", nameof(instId));

    private static SimulatedBar ParseBar(string bar) =>
        SimulatedBar.TryParse(bar, out var simulatedBar) ? simulatedBar : throw new ArgumentException($"Unknown bar '{bar}'.", nameof(bar));
}
