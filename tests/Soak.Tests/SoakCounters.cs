using System.Globalization;
using System.Text;

namespace Blofin.Backfill.Soak;

/// <summary>The faults one soak survived, counted from the simulator's log, the workers' logs and the test itself.</summary>
internal sealed record SoakCounters
{
    public TimeSpan Elapsed { get; init; }

    public int Rounds { get; init; }

    public int ValidMessages { get; init; }

    public int DuplicateMessages { get; init; }

    public int MalformedMessages { get; init; }

    public int WorkerProcesses { get; init; }

    public int Kills { get; init; }

    public int KillsHoldingLease { get; init; }

    public int LeaseBreaks { get; init; }

    public int LeaseBreakMisses { get; init; }

    public int ExchangeRequests { get; init; }

    public int ServerErrors { get; init; }

    public int SlowReplies { get; init; }

    public int ClientTimeouts { get; init; }

    public int MalformedBodies { get; init; }

    public int TruncatedBodies { get; init; }

    public int ForbiddenDuringBan { get; init; }

    public int RateLimited { get; init; }

    public int LeaseLostLogLines { get; init; }

    public int RetriedMessagesLogLines { get; init; }

    public int MessagesLostLogLines { get; init; }

    public int Runs { get; init; }

    public int SucceededRuns { get; init; }

    public long DatabaseBytes { get; init; }

    public override string ToString()
    {
        var text = new StringBuilder();
        void Line(string name, object value) => text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-46} {value}");
        text.AppendLine("Soak counters:");
        Line("elapsed (s)", Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
        Line("rounds of messages", Rounds);
        Line("valid messages (duplicates included)", ValidMessages);
        Line("duplicate messages", DuplicateMessages);
        Line("malformed messages", MalformedMessages);
        Line("worker processes started", WorkerProcesses);
        Line("SIGKILLs (holding the lease)", $"{Kills} ({KillsHoldingLease})");
        Line("leases broken from outside (missed tries)", $"{LeaseBreaks} ({LeaseBreakMisses})");
        Line("exchange requests", ExchangeRequests);
        Line("5xx served", ServerErrors);
        Line("slow replies (client timed out first)", $"{SlowReplies} ({ClientTimeouts})");
        Line("malformed bodies (HTML)", MalformedBodies);
        Line("truncated bodies", TruncatedBodies);
        Line("403s during the ban", ForbiddenDuringBan);
        Line("429s (the simulator's own limits)", RateLimited);
        Line("'lost the lease' log lines", LeaseLostLogLines);
        Line("'will retry' log lines (incomplete backfills)", RetriedMessagesLogLines);
        Line("'no longer ours' log lines (messages)", MessagesLostLogLines);
        Line("runs recorded (succeeded)", $"{Runs} ({SucceededRuns})");
        Line("database blob bytes", DatabaseBytes);
        return text.ToString();
    }
}
