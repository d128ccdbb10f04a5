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

    public bool IsHole(string instId, long openTimeMs) =>
        _holes.TryGetValue(instId, out var holes) && holes.Contains(openTimeMs);

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
        var isConfirmed = closeMs <= currentMinute * MinuteMs;
        if (bar.IsMinute)
        {
            var minute = openMs / MinuteMs;
            if (minute > currentMinute || minute < model.ListMinute || IsHole(model.Instrument.InstId, openMs))
            {
                return null;
            }

            return model.Minute(minute, isConfirmed ? 1 : (nowMs - openMs) / (double)MinuteMs, isConfirmed);
        }

        if (isConfirmed && _closedBars.TryGetValue((model.Instrument.InstId, bar.Name, openMs), out var cached))
        {
            return cached;
        }

        var first = Math.Max(openMs / MinuteMs, model.ListMinute);
        var end = Math.Min(closeMs / MinuteMs, currentMinute + 1);
        var candle = Aggregate(model, first, end, nowMs, openMs, isConfirmed);
        if (candle is not null && isConfirmed)
        {
            _closedBars.TryAdd((model.Instrument.InstId, bar.Name, openMs), candle);
        }

        return candle;
    }

    /// <summary>The minutes [<paramref name="firstMinute"/>, <paramref name="endMinute"/>) summed into one candle,
    /// holes skipped; null when none of them has a candle.</summary>
    private SimulatedCandle? Aggregate(PriceModel model, long firstMinute, long endMinute, long nowMs, long openMs, bool isConfirmed)
    {
        var currentMinute = nowMs / MinuteMs;
        var path = model.CreatePath();
        SimulatedCandle? result = null;
        var openPrice = path.At(firstMinute);
        for (var minute = firstMinute; minute < endMinute; minute++)
        {
            var closePrice = path.At(minute + 1);
            var minuteOpenMs = minute * MinuteMs;
            var startPrice = openPrice;
            openPrice = closePrice;
            if (IsHole(model.Instrument.InstId, minuteOpenMs))
            {
                continue;
            }

            var forming = minute == currentMinute;
            var candle = model.Minute(minute, forming ? (nowMs - minuteOpenMs) / (double)MinuteMs : 1, !forming, startPrice, closePrice);
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
