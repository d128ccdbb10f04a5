namespace Blofin.Simulator;

/// <summary>What the per-IP limits say about one request.</summary>
internal enum RateVerdict
{
    Admitted,
    RateLimited,
    Banned,
}
