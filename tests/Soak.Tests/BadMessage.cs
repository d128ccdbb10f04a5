namespace Blofin.Backfill.Soak;

/// <summary>A queue message that can never succeed, and a fragment of the reason the poison queue must give.</summary>
internal sealed record BadMessage(string Text, string ReasonFragment)
{
    /// <summary>One of each class of bad message a person or tool might send (the catalogue in docs/OPERATIONS.md).</summary>
    public static IReadOnlyList<BadMessage> Catalogue { get; } =
    [
        new("hello, please backfill bitcoin", "is neither a JSON object, base64-encoded JSON, nor an instrument ID"),
        new("{\"instId\":\"BTC-USDT\"", "The message is not valid JSON"),
        new("""{"instId":"BTC-USDT","colour":"red"}""", "Unknown field 'colour'"),
        new("""{"bar":"1m"}""", "The message has no 'instId'"),
        new("""{"instId":"BTC-USDT","bar":"7m"}""", "Unknown bar '7m'"),
        new("""{"instId":"BTC-USDT","lookbackHours":0}""", "'lookbackHours' must be between 1 and"),
        new("""{"instId":"BTC-USDT","from":"2026-01-01T00:00:00Z"}""", "A manual range needs both 'from' and 'to'"),
        new("""{"instId":"NOSUCH-USDT"}""", "Blofin does not list instrument 'NOSUCH-USDT'"),
        new("[\"BTC-USDT\"]", "is neither a JSON object, base64-encoded JSON, nor an instrument ID"),
    ];
}
