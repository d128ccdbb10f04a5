namespace Blofin.Backfill.Soak;

/// <summary>What one client process sent while the exchange had it banned.</summary>
/// <param name="ProcessId">From the request's User-Agent (<c>(pid N)</c>); 0 when it named none.</param>
/// <param name="RequestsDuringBan">Requests that arrived from the ban's start to its end: the first 403 and any after it.</param>
/// <param name="Forbidden">Of those, the ones answered 403 (all of them, since the ban answers everything).</param>
/// <param name="FirstForbiddenUtc">When its first 403 arrived.</param>
/// <param name="LastDuringBanUtc">When its last request inside the ban arrived.</param>
internal sealed record ProcessBanRecord(int ProcessId, int RequestsDuringBan, int Forbidden, DateTimeOffset FirstForbiddenUtc, DateTimeOffset LastDuringBanUtc)
{
    /// <summary>Requests after the first 403 and before the ban ended: the burst already in flight when the 403 came.</summary>
    public int AfterFirstForbidden => RequestsDuringBan - 1;
}
