namespace Blofin.Simulator;

/// <summary>One instrument the simulator lists and trades: its contract and the shape of its random walk.</summary>
/// <param name="InstId">Blofin's ID, e.g. <c>BTC-USDT</c>.</param>
/// <param name="StartPrice">The level the walk wanders around.</param>
/// <param name="TickSize">Prices are whole multiples of this.</param>
/// <param name="ContractValue">Base currency per contract: <c>volCurrency = vol x ContractValue</c>.</param>
public sealed record SimulatedInstrument(string InstId, decimal StartPrice, decimal TickSize, decimal ContractValue)
{
    /// <summary>The listing time used when neither <see cref="ListTime"/> nor <see cref="ListedAgo"/> is set.</summary>
    public static readonly DateTimeOffset DefaultListTime = new(2023, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public string BaseCurrency => InstId.Split('-')[0];

    public string QuoteCurrency { get; init; } = "USDT";

    /// <summary>When the instrument was listed; its first candle is that minute's.</summary>
    public DateTimeOffset? ListTime { get; init; }

    /// <summary>Listed this long before the simulator started (overrides <see cref="ListTime"/>).</summary>
    public TimeSpan? ListedAgo { get; init; }

    /// <summary><c>live</c> or <c>suspend</c>.</summary>
    public string State { get; init; } = "live";

    /// <summary>Standard deviation of the log price over one minute.</summary>
    public double Volatility { get; init; } = 0.0006;

    /// <summary>Typical traded value per minute in quote currency.</summary>
    public decimal QuoteVolumePerMinute { get; init; } = 100_000m;

    public int MaxLeverage { get; init; } = 50;

    public decimal LotSize { get; init; } = 1m;

    public decimal MinSize { get; init; } = 1m;
}
