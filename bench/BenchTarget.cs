namespace Blofin.Backfill.Bench;

/// <summary>What a group of worker instances is pointed at: the exchange, the storage, the symbols and the client's
/// rate budget.</summary>
internal sealed record BenchTarget(
    Uri ExchangeUrl,
    string StorageConnectionString,
    string Container,
    string QueueName,
    IReadOnlyList<string> Symbols,
    int LookbackHours,
    RateLimit ShortWindow,
    RateLimit LongWindow,
    double SafetyMargin);
