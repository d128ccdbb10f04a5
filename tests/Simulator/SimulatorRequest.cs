namespace Blofin.Simulator;

/// <summary>One request the simulator answered, as its log holds it.</summary>
/// <param name="ReceivedAtUtc">Arrival, on the simulator's clock.</param>
/// <param name="Path">e.g. <c>/api/v1/market/candles</c>.</param>
/// <param name="Query">The raw query string, with its leading <c>?</c>.</param>
/// <param name="StatusCode">The HTTP status sent (499 when the client went away first).</param>
/// <param name="InstId">The <c>instId</c> parameter, if any.</param>
public sealed record SimulatorRequest(DateTimeOffset ReceivedAtUtc, string Path, string Query, int StatusCode, string? InstId)
{
    public string? Bar { get; init; }

    public long? AfterMs { get; init; }

    public long? BeforeMs { get; init; }

    public int? Limit { get; init; }

    /// <summary>Rows in <c>data</c>, when the reply was a success.</summary>
    public int? Rows { get; init; }

    /// <summary>The envelope's code, when the reply had one.</summary>
    public string? Code { get; init; }

    /// <summary>The fault served instead of the normal reply, if any.</summary>
    public SimulatedFault? Fault { get; init; }

    public string? ClientIp { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsCandles => Path == BlofinSimulator.CandlesPath;
}
