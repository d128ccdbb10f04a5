using System.Text;

namespace Blofin.Simulator;

/// <summary>One instrument's deterministic market: a seeded random walk of the log price, computed for any minute
/// directly (no state, no warm-up), and per-minute wicks and volume from the same seed.</summary>
/// <remarks>The walk is a sum of piecewise-linear random paths on grids of 1, 2, 4 ... 2^16 minutes, each scaled by
/// the square root of its grid: over minutes to weeks its steps add up like a random walk's, while beyond about
/// 45 days it stays near <see cref="SimulatedInstrument.StartPrice"/>, so price levels stay realistic for ever.</remarks>
internal sealed class PriceModel
{
    private const int Levels = 17;
    private const ulong LevelStream = 0x9E37_79B9_7F4A_7C15;

    private readonly ulong _seed;
    private readonly double _scale;
    private readonly double _startPrice;
    private readonly double _tick;

    public PriceModel(SimulatedInstrument instrument, int seed, long listTimeMs)
    {
        Instrument = instrument;
        ListTimeMs = listTimeMs;
        _seed = Mix(Fnv1A(instrument.InstId) ^ Mix((ulong)(uint)seed + 0x51_7CC1_B727_220A));
        // Each level's linear path adds about 3 (variance units) per unit of its grid to a one-minute step;
        // summed over the levels that is about 6, hence the 1/sqrt(6).
        _scale = instrument.Volatility / Math.Sqrt(6);
        _startPrice = (double)instrument.StartPrice;
        _tick = (double)instrument.TickSize;
    }

    public SimulatedInstrument Instrument { get; }

    public long ListTimeMs { get; }

    public long ListMinute => ListTimeMs / 60_000;

    /// <summary>The candle of <paramref name="minute"/> (minutes since the epoch). With <paramref name="fraction"/>
    /// below 1 the minute is still forming: the close has moved that share of the way, volume has that share.</summary>
    public SimulatedCandle Minute(long minute, double fraction, bool isConfirmed) =>
        Minute(minute, fraction, isConfirmed, Price(minute), Price(minute + 1));

    /// <summary>A walk along consecutive minutes (either way) that reuses each level's grid values: about two hashes
    /// per minute instead of seventy, for long bars aggregated from minutes.</summary>
    public PricePath CreatePath() => new(this);

    /// <summary>As <see cref="Minute(long, double, bool)"/>, with the prices at the minute's start and end given.</summary>
    public SimulatedCandle Minute(long minute, double fraction, bool isConfirmed, double openPrice, double closePrice)
    {
        var instrument = Instrument;
        var open = RoundToTick(openPrice);
        var fullClose = RoundToTick(closePrice);
        var wickUp = Math.Exp(instrument.Volatility * 0.8 * Uniform(1, minute));
        var wickDown = Math.Exp(-instrument.Volatility * 0.8 * Uniform(2, minute));
        var fullHigh = Max(RoundToTick(Math.Max(openPrice, closePrice) * wickUp), open, fullClose);
        var fullLow = Min(RoundToTick(Math.Min(openPrice, closePrice) * wickDown), open, fullClose);
        var contracts = Math.Max(1, Math.Round(
            (double)instrument.QuoteVolumePerMinute * Math.Exp(1.2 * (Uniform(3, minute) - 0.5)) / (openPrice * (double)instrument.ContractValue)));

        decimal high = fullHigh, low = fullLow, close = fullClose;
        if (fraction < 1)
        {
            close = RoundToTick(openPrice + ((closePrice - openPrice) * fraction));
            high = Max(RoundToTick((double)Math.Max(open, close) + ((double)(fullHigh - Math.Max(open, fullClose)) * fraction)), open, close);
            low = Min(RoundToTick((double)Math.Min(open, close) - ((double)(Math.Min(open, fullClose) - fullLow) * fraction)), open, close);
            contracts = Math.Floor(contracts * fraction);
        }

        var volume = (decimal)contracts;
        var volumeCurrency = volume * instrument.ContractValue;
        var volumeQuote = decimal.Round(volumeCurrency * ((open + high + low + close) / 4), 4);
        return new SimulatedCandle(minute * 60_000, open, high, low, close, volume, volumeCurrency, volumeQuote, isConfirmed);
    }

    /// <summary>The price at the start of <paramref name="minute"/>.</summary>
    private double Price(long minute)
    {
        var logPrice = 0.0;
        for (var level = 0; level < Levels; level++)
        {
            var cell = minute >> level;
            var offset = minute - (cell << level);
            var left = Signed(level, cell);
            var right = Signed(level, cell + 1);
            var along = offset / (double)(1L << level);
            logPrice += Math.Sqrt(1L << level) * (left + ((right - left) * along));
        }

        return PriceOf(logPrice);
    }

    private decimal RoundToTick(double price) =>
        (decimal)Math.Max(1, Math.Round(price / _tick, MidpointRounding.AwayFromZero)) * Instrument.TickSize;

    private double PriceOf(double logPrice) => _startPrice * Math.Exp(_scale * logPrice);

    /// <summary>Unit variance, uniform on [-sqrt 3, sqrt 3].</summary>
    private double Signed(int level, long index) => (Uniform((ulong)level + 16, index) - 0.5) * 2 * Math.Sqrt(3);

    /// <summary>Uniform on [0, 1), a pure function of the seed, the stream and the index.</summary>
    private double Uniform(ulong stream, long index) =>
        (Mix(_seed ^ Mix((stream * LevelStream) + (ulong)index)) >> 11) * (1.0 / (1UL << 53));

    private static decimal Max(decimal a, decimal b, decimal c) => Math.Max(a, Math.Max(b, c));

    private static decimal Min(decimal a, decimal b, decimal c) => Math.Min(a, Math.Min(b, c));

    /// <summary>SplitMix64's finaliser: a strong 64-bit mix.</summary>
    private static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58_476D_1CE4_E5B9;
        x ^= x >> 27;
        x *= 0x94D0_49BB_1331_11EB;
        return x ^ (x >> 31);
    }

    /// <summary>FNV-1a over UTF-8: stable across processes, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static ulong Fnv1A(string text)
    {
        var hash = 0xCBF2_9CE4_8422_2325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 0x0000_0100_0000_01B3;
        }

        return hash;
    }

    /// <summary>See <see cref="CreatePath"/>.</summary>
    internal sealed class PricePath(PriceModel model)
    {
        private readonly long[] _cells = Enumerable.Repeat(long.MinValue, Levels).ToArray();
        private readonly double[] _left = new double[Levels];
        private readonly double[] _right = new double[Levels];

        /// <summary>The price at the start of <paramref name="minute"/>, equal to <see cref="Price"/>'s.</summary>
        public double At(long minute)
        {
            var logPrice = 0.0;
            for (var level = 0; level < Levels; level++)
            {
                var cell = minute >> level;
                if (cell != _cells[level])
                {
                    if (cell == _cells[level] + 1)
                    {
                        _left[level] = _right[level];
                        _right[level] = model.Signed(level, cell + 1);
                    }
                    else if (cell == _cells[level] - 1)
                    {
                        _right[level] = _left[level];
                        _left[level] = model.Signed(level, cell);
                    }
                    else
                    {
                        _left[level] = model.Signed(level, cell);
                        _right[level] = model.Signed(level, cell + 1);
                    }

                    _cells[level] = cell;
                }

                var along = (minute - (cell << level)) / (double)(1L << level);
                logPrice += Math.Sqrt(1L << level) * (_left[level] + ((_right[level] - _left[level]) * along));
            }

            return model.PriceOf(logPrice);
        }
    }
}
