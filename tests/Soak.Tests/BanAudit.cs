using System.Globalization;
using System.Text.RegularExpressions;
using Blofin.Simulator;

namespace Blofin.Backfill.Soak;

/// <summary>Reads the simulator's log for the rule "after a 403, a process sends nothing until the ban ends, beyond
/// the burst already in flight".</summary>
/// <remarks>
/// Why the burst is bounded by the requests a process can have in flight (<see cref="SoakSettings.InFlightPerProcess"/>):
/// every request passes the process-wide rate gate, which checks the pause as it lets a request go. Think of the
/// process as that many slots, each with at most one request in flight. After the exchange answers a first 403, a
/// slot can still deliver one request the gate let go before the client read that 403; that request arrives inside
/// the ban, is answered 403 at once, and its own handler pauses the gate before the slot can send again. A slot
/// whose request was slow and timed out retries through the gate too, so it also delivers at most one. Hence a
/// process delivers at most one request per slot inside the ban, the first 403 included: at most
/// <c>InFlightPerProcess - 1</c> after the first. The pause then lasts the ban's length from the moment the client
/// read its first 403, which is no earlier than the ban's start, so it ends no earlier than the ban does.
/// </remarks>
internal static partial class BanAudit
{
    /// <summary>One record per process that sent anything between <paramref name="banStartUtc"/> and
    /// <paramref name="banEndUtc"/> (simulator arrival times).</summary>
    public static IReadOnlyList<ProcessBanRecord> Audit(IEnumerable<SimulatorRequest> requests, DateTimeOffset banStartUtc, DateTimeOffset banEndUtc) =>
        [.. requests
            .Where(r => r.ReceivedAtUtc >= banStartUtc && r.ReceivedAtUtc < banEndUtc)
            .GroupBy(r => ProcessIdOf(r.UserAgent))
            .Select(g => new ProcessBanRecord(
                g.Key,
                g.Count(),
                g.Count(r => r.StatusCode == 403),
                g.Min(r => r.ReceivedAtUtc),
                g.Max(r => r.ReceivedAtUtc)))
            .OrderBy(r => r.FirstForbiddenUtc)];

    /// <summary>The process ID in a <c>blofin-backfill/1.2.3 (pid 4242)</c> User-Agent; 0 when there is none.</summary>
    public static int ProcessIdOf(string? userAgent) =>
        userAgent is not null && PidPattern().Match(userAgent) is { Success: true } match
            ? int.Parse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture)
            : 0;

    [GeneratedRegex(@"\(pid (\d+)\)")]
    private static partial Regex PidPattern();
}
