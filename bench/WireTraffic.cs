namespace Blofin.Backfill.Bench;

/// <summary>One blob operation's requests and body bytes, as the counting proxy saw them.</summary>
internal sealed record WireTraffic(long Requests, long Sent, long Received);
