using System.Globalization;
using System.Text;
using System.Text.Json;
using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Backfill;

/// <summary>One unit of work: make one symbol's candles complete over a window (the queue message).</summary>
/// <param name="InstId">Blofin instrument ID, upper case (<c>BTC-USDT</c>).</param>
/// <param name="LookbackHours">The rolling window when no explicit range is given.</param>
/// <param name="FromUtc">Start of an explicit manual range (with <paramref name="ToUtc"/>), else null.</param>
/// <param name="ToUtc">End of an explicit manual range, else null.</param>
/// <param name="Trigger">Who asked: <c>timer</c>, <c>manual</c> or <c>cli</c>; recorded in the run table.</param>
public sealed record BackfillRequest(
    string InstId,
    Bar Bar,
    int LookbackHours,
    DateTimeOffset? FromUtc = null,
    DateTimeOffset? ToUtc = null,
    string Trigger = BackfillTriggers.Manual)
{
    public bool HasExplicitRange => FromUtc is not null && ToUtc is not null;

    /// <summary>The queue message for this request, in the JSON form <see cref="BackfillMessageParser"/> reads.</summary>
    public string ToMessageJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("instId", InstId);
            json.WriteString("bar", Bar.Name);
            if (HasExplicitRange)
            {
                json.WriteString("from", FromUtc!.Value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                json.WriteString("to", ToUtc!.Value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNumber("lookbackHours", LookbackHours);
            }

            json.WriteString("trigger", Trigger);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
