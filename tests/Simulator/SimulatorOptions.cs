namespace Blofin.Simulator;

/// <summary>What the simulated exchange lists, how much history it keeps, how it limits clients and how it fails.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The instrument listed two days before the simulator's start by <see cref="CreateDefault"/>.</summary>
    public const string NewListingInstId = "NEWCOIN-USDT";

    /// <summary>The suspended instrument of <see cref="CreateDefault"/>.</summary>
    public const string SuspendedInstId = "OLDCOIN-USDT";

    public IList<SimulatedInstrument> Instruments { get; } = new List<SimulatedInstrument>();

    /// <summary>Seeds every instrument's random walk: the same seed gives the same candles, whenever asked.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>How far back 1-minute candles are served (null: back to the listing). Longer bars always go back to
    /// the listing, as Blofin's 15m and 1H do.</summary>
    public TimeSpan? HistoryRetention { get; set; }

    /// <summary>Per instrument, the open times (Unix ms, whole minutes) of minutes that have no candle.</summary>
    public IDictionary<string, ISet<long>> Holes { get; } = new Dictionary<string, ISet<long>>(StringComparer.Ordinal);

    /// <summary>Per instrument, minutes that have no candle until a time (Unix ms open time to the simulator-clock
    /// instant the exchange back-fills it): a hole that appears later, or, shortly after the close, a late minute.</summary>
    public IDictionary<string, IDictionary<long, DateTimeOffset>> LateFills { get; } =
        new Dictionary<string, IDictionary<long, DateTimeOffset>>(StringComparer.Ordinal);

    /// <summary>How long a closed minute is still served as forming (<c>confirm</c> "0", its values final) after it
    /// closes: the exchange publishing the newest minute late. Longer bars are confirmed as late as their last minute.</summary>
    public TimeSpan PublishDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Confirmed candles the exchange revises at a set time.</summary>
    public IList<SimulatedRevision> Revisions { get; } = new List<SimulatedRevision>();

    /// <summary>Aggregated candles served differently from the simulator's own 1-minute data.</summary>
    public IList<SimulatedDisagreement> Disagreements { get; } = new List<SimulatedDisagreement>();

    /// <summary>Rows served when the request has no <c>limit</c>.</summary>
    public int DefaultLimit { get; set; } = 500;

    /// <summary>The most rows of one page; a larger <c>limit</c> is served this many rows, not refused.</summary>
    public int MaxLimit { get; set; } = 1440;

    /// <summary>Requests per client IP per <see cref="ShortWindow"/>; the request past it gets 429 and the IP is
    /// suspended for <see cref="ShortWindowBan"/>.</summary>
    public int ShortWindowLimit { get; set; } = 500;

    public TimeSpan ShortWindow { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan ShortWindowBan { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Requests per client IP per <see cref="LongWindow"/>; the request past it gets 429 and the IP is
    /// suspended for <see cref="LongWindowBan"/>.</summary>
    public int LongWindowLimit { get; set; } = 1500;

    public TimeSpan LongWindow { get; set; } = TimeSpan.FromSeconds(300);

    public TimeSpan LongWindowBan { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Added to every market reply in real time, whatever the clock (network delay, for benchmarks).</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Share of market requests answered HTTP 500.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Share of market requests answered only after <see cref="SlowResponseDelay"/>.</summary>
    public double SlowResponseRate { get; set; }

    /// <summary>Waited on the simulator's clock, so a fake clock can drive a client's timeout.</summary>
    public TimeSpan SlowResponseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Share of market requests answered with an HTML page instead of JSON.</summary>
    public double MalformedBodyRate { get; set; }

    /// <summary>Share of market requests answered with the reply cut in half.</summary>
    public double TruncatedBodyRate { get; set; }

    /// <summary>Seeds the draw of random faults (one draw per market request, in arrival order).</summary>
    public int FaultSeed { get; set; } = 1;

    /// <summary>Adds a minute without a candle.</summary>
    public SimulatorOptions AddHole(string instId, long openTimeMs)
    {
        if (!Holes.TryGetValue(instId, out var set))
        {
            set = new HashSet<long>();
            Holes[instId] = set;
        }

        set.Add(openTimeMs);
        return this;
    }

    /// <summary>Adds a minute that has no candle until <paramref name="filledAtUtc"/> (the simulator's clock), when the
    /// exchange back-fills it.</summary>
    public SimulatorOptions AddHole(string instId, long openTimeMs, DateTimeOffset filledAtUtc)
    {
        if (!LateFills.TryGetValue(instId, out var fills))
        {
            fills = new Dictionary<long, DateTimeOffset>();
            LateFills[instId] = fills;
        }

        fills[openTimeMs] = filledAtUtc;
        return this;
    }

    /// <summary>34 live USDT perpetuals listed long ago at realistic price levels (BTC, ETH, SOL, SHIB among them),
    /// one listed two days before the simulator starts (<see cref="NewListingInstId"/>) and one suspended
    /// (<see cref="SuspendedInstId"/>); Blofin's documented limits; no faults.</summary>
    public static SimulatorOptions CreateDefault()
    {
        var options = new SimulatorOptions();
        foreach (var instrument in DefaultInstruments())
        {
            options.Instruments.Add(instrument);
        }

        return options;
    }

    internal void Validate()
    {
        if (Instruments.Count == 0)
        {
            throw new ArgumentException("The simulator needs at least one instrument.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instrument in Instruments)
        {
            if (string.IsNullOrWhiteSpace(instrument.InstId) || !ids.Add(instrument.InstId))
            {
                throw new ArgumentException($"Instrument IDs must be set and unique; '{instrument.InstId}' is not.");
            }

            if (instrument.StartPrice <= 0 || instrument.TickSize <= 0 || instrument.ContractValue <= 0 || instrument.StartPrice < instrument.TickSize * 10)
            {
                throw new ArgumentException($"{instrument.InstId}: the start price, tick size and contract value must be positive, the price at least 10 ticks.");
            }
        }

        foreach (var (instId, holes) in Holes)
        {
            if (holes.Any(ms => ms % 60_000 != 0))
            {
                throw new ArgumentException($"Holes of {instId} must be whole minutes (Unix ms divisible by 60000).");
            }
        }

        foreach (var (instId, fills) in LateFills)
        {
            if (fills.Keys.Any(ms => ms % 60_000 != 0))
            {
                throw new ArgumentException($"Late-filled holes of {instId} must be whole minutes (Unix ms divisible by 60000).");
            }
        }

        if (Revisions.Any(r => r.OpenTimeMs % 60_000 != 0 || r.HighTicks < 0 || r.AddedContracts < 0))
        {
            throw new ArgumentException("Revisions must name whole minutes and raise the high and the volume by non-negative amounts.");
        }

        if (Disagreements.Any(d => !SimulatedBar.TryParse(d.Bar, out var bar) || bar.IsMinute || d.VolumeFactor <= 0))
        {
            throw new ArgumentException("Disagreements must name an aggregated bar (not 1m) and a positive volume factor.");
        }

        if (PublishDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("PublishDelay cannot be negative.");
        }

        if (DefaultLimit < 1 || MaxLimit < 1 || DefaultLimit > MaxLimit)
        {
            throw new ArgumentException("DefaultLimit and MaxLimit must be positive, DefaultLimit no more than MaxLimit.");
        }

        if (ShortWindowLimit < 1 || LongWindowLimit < 1 || ShortWindow <= TimeSpan.Zero || LongWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException("Rate-limit windows and limits must be positive.");
        }

        foreach (var rate in new[] { ServerErrorRate, SlowResponseRate, MalformedBodyRate, TruncatedBodyRate })
        {
            if (rate is < 0 or > 1)
            {
                throw new ArgumentException("Fault rates are shares between 0 and 1.");
            }
        }

        if (ServerErrorRate + SlowResponseRate + MalformedBodyRate + TruncatedBodyRate > 1)
        {
            throw new ArgumentException("Fault rates add up to more than 1.");
        }
    }

    private static IEnumerable<SimulatedInstrument> DefaultInstruments()
    {
        // instId, price, tick, contract value, quote volume per minute, listed
        (string Id, decimal Price, decimal Tick, decimal ContractValue, decimal QuotePerMinute, string Listed)[] table =
        [
            ("BTC-USDT", 95_000m, 0.1m, 0.001m, 2_000_000m, "2023-01-10"),
            ("ETH-USDT", 3_300m, 0.01m, 0.01m, 1_200_000m, "2023-01-10"),
            ("SOL-USDT", 180m, 0.001m, 1m, 600_000m, "2023-01-10"),
            ("SHIB-USDT", 0.0000220m, 0.00000001m, 1_000m, 60_000m, "2023-02-01"),
            ("XRP-USDT", 2.3m, 0.0001m, 1m, 400_000m, "2023-01-10"),
            ("DOGE-USDT", 0.33m, 0.00001m, 100m, 300_000m, "2023-01-10"),
            ("ADA-USDT", 0.9m, 0.0001m, 10m, 150_000m, "2023-01-15"),
            ("AVAX-USDT", 35m, 0.001m, 1m, 120_000m, "2023-01-15"),
            ("LINK-USDT", 20m, 0.001m, 1m, 120_000m, "2023-01-15"),
            ("DOT-USDT", 6.5m, 0.001m, 1m, 60_000m, "2023-01-15"),
            ("LTC-USDT", 100m, 0.01m, 0.1m, 80_000m, "2023-01-15"),
            ("BCH-USDT", 420m, 0.01m, 0.01m, 60_000m, "2023-01-15"),
            ("TRX-USDT", 0.24m, 0.00001m, 100m, 40_000m, "2023-02-01"),
            ("ATOM-USDT", 6.5m, 0.001m, 1m, 40_000m, "2023-02-01"),
            ("UNI-USDT", 12m, 0.001m, 1m, 50_000m, "2023-02-01"),
            ("NEAR-USDT", 5m, 0.001m, 1m, 50_000m, "2023-03-01"),
            ("APT-USDT", 9m, 0.001m, 1m, 50_000m, "2023-03-01"),
            ("ARB-USDT", 0.8m, 0.0001m, 10m, 60_000m, "2023-03-23"),
            ("OP-USDT", 2m, 0.0001m, 1m, 50_000m, "2023-03-01"),
            ("SUI-USDT", 3.8m, 0.0001m, 1m, 150_000m, "2023-05-03"),
            ("FIL-USDT", 5m, 0.001m, 1m, 30_000m, "2023-02-01"),
            ("ETC-USDT", 26m, 0.001m, 1m, 30_000m, "2023-02-01"),
            ("XLM-USDT", 0.4m, 0.00001m, 10m, 30_000m, "2023-02-01"),
            ("PEPE-USDT", 0.0000180m, 0.0000000001m, 1_000_000m, 200_000m, "2023-05-05"),
            ("WIF-USDT", 2m, 0.0001m, 1m, 120_000m, "2024-01-15"),
            ("INJ-USDT", 22m, 0.001m, 1m, 40_000m, "2023-06-01"),
            ("TIA-USDT", 5m, 0.001m, 1m, 40_000m, "2023-11-01"),
            ("SEI-USDT", 0.45m, 0.0001m, 10m, 40_000m, "2023-08-16"),
            ("AAVE-USDT", 300m, 0.01m, 0.1m, 60_000m, "2023-02-01"),
            ("FET-USDT", 1.3m, 0.0001m, 10m, 50_000m, "2023-04-01"),
            ("TON-USDT", 5.5m, 0.001m, 1m, 50_000m, "2023-09-01"),
            ("BNB-USDT", 650m, 0.01m, 0.01m, 150_000m, "2023-01-10"),
            ("HBAR-USDT", 0.28m, 0.00001m, 100m, 30_000m, "2023-06-01"),
            ("POL-USDT", 0.45m, 0.0001m, 10m, 30_000m, "2024-09-04"),
        ];

        foreach (var (id, price, tick, contractValue, quotePerMinute, listed) in table)
        {
            yield return new SimulatedInstrument(id, price, tick, contractValue)
            {
                QuoteVolumePerMinute = quotePerMinute,
                ListTime = DateTimeOffset.ParseExact(listed, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
                MaxLeverage = id is "BTC-USDT" or "ETH-USDT" ? 150 : 75,
            };
        }

        yield return new SimulatedInstrument(NewListingInstId, 0.05m, 0.00001m, 100m)
        {
            QuoteVolumePerMinute = 20_000m,
            ListedAgo = TimeSpan.FromDays(2),
            Volatility = 0.002,
            MaxLeverage = 20,
        };

        yield return new SimulatedInstrument(SuspendedInstId, 1.2m, 0.0001m, 10m)
        {
            QuoteVolumePerMinute = 5_000m,
            ListTime = new DateTimeOffset(2023, 7, 1, 0, 0, 0, TimeSpan.Zero),
            State = "suspend",
            MaxLeverage = 20,
        };
    }
}
