using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Storage;

internal static class TestCandles
{
    public const long Minute = 60_000;
    public const long T0 = 1_736_121_600_000; // 2025-01-06T00:00Z

    public static long M(int minute) => T0 + (minute * Minute);

    public static Candle At(int minute, bool confirmed = true, decimal close = 100.5m) =>
        new(M(minute), 100m, 101.25m, 99.5m, close, 12m, 0.12m, 1_206.5m, confirmed);

    public static IEnumerable<Candle> Minutes(int fromMinute, int count) =>
        Enumerable.Range(fromMinute, count).Select(m => At(m));
}
