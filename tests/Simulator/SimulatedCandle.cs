namespace Blofin.Simulator;

/// <summary>One candle as the simulator serves it (values exactly as written in the reply).</summary>
public sealed record SimulatedCandle(
    long OpenTimeMs,
    decimal Open,
    decimal High,
    decimal Low,
    decimal Close,
    decimal Volume,
    decimal VolumeCurrency,
    decimal VolumeQuote,
    bool IsConfirmed);
