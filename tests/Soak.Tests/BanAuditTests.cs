using Blofin.Simulator;

namespace Blofin.Backfill.Soak;

[Trait("Category", "Soak")]
public sealed class BanAuditTests
{
    private static readonly DateTimeOffset BanStart = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BanEnd = BanStart.AddSeconds(6);

    [Fact]
    public void Audit_TwoProcesses_CountsEachOnesRequestsInsideTheBanOnly()
    {
        SimulatorRequest[] log =
        [
            Request(BanStart.AddSeconds(-1), 200, 11),
            Request(BanStart.AddMilliseconds(10), 403, 11),
            Request(BanStart.AddMilliseconds(12), 403, 11),
            Request(BanStart.AddMilliseconds(500), 403, 22),
            Request(BanEnd, 200, 11),
            Request(BanEnd.AddSeconds(1), 200, 22),
        ];

        var records = BanAudit.Audit(log, BanStart, BanEnd);

        Assert.Equal([11, 22], records.Select(r => r.ProcessId));
        Assert.Equal([2, 1], records.Select(r => r.RequestsDuringBan));
        Assert.Equal([1, 0], records.Select(r => r.AfterFirstForbidden));
        Assert.Equal(BanStart.AddMilliseconds(10), records[0].FirstForbiddenUtc);
    }

    [Theory]
    [InlineData("blofin-backfill/1.0.0 (pid 4242)", 4242)]
    [InlineData("curl/8.5.0", 0)]
    [InlineData(null, 0)]
    public void ProcessIdOf_UserAgent_ReadsThePid(string? userAgent, int expected) =>
        Assert.Equal(expected, BanAudit.ProcessIdOf(userAgent));

    private static SimulatorRequest Request(DateTimeOffset at, int status, int pid) =>
        new(at, "/api/v1/market/candles", "", status, "BTC-USDT") { UserAgent = $"blofin-backfill/1.0.0 (pid {pid})" };
}
