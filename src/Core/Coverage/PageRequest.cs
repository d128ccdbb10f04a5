using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Coverage;

/// <summary>One candles request: Blofin returns the rows with <c>ts &lt; AfterMs</c>, newest first, at most <see cref="Limit"/>.</summary>
/// <param name="AfterMs">The exclusive <c>after</c> cursor, Unix milliseconds UTC.</param>
/// <param name="Limit">The <c>limit</c> parameter (Blofin serves at most 1440).</param>
public sealed record PageRequest(long AfterMs, int Limit)
{
    /// <summary>The bars the page covers when the exchange has every one of them: the
    /// <see cref="Limit"/> bars just below the cursor. With holes at the exchange it reaches further back.</summary>
    public TimeRange Span(Bar bar)
    {
        var lengthMs = BarMath.LengthOf(bar, nameof(bar));
        return new TimeRange(AfterMs - (Limit * lengthMs), AfterMs - lengthMs);
    }
}
