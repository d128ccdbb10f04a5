namespace Blofin.Backfill.Backfill;

/// <summary>The names recorded in <c>gap_fill_runs.trigger</c>.</summary>
public static class BackfillTriggers
{
    public const string Timer = "timer";
    public const string Manual = "manual";
    public const string Cli = "cli";
}
