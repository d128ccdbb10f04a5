namespace Blofin.Backfill.Backfill;

/// <summary>What the queue handler decided for one message.</summary>
/// <param name="PoisonReason">Why the message went to the poison queue; null when it was processed.</param>
/// <param name="Result">The backfill's figures when it ran.</param>
public sealed record BackfillMessageOutcome(string? PoisonReason, BackfillResult? Result)
{
    public bool IsPoisoned => PoisonReason is not null;
}
