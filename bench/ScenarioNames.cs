namespace Blofin.Backfill.Bench;

/// <summary>The scenario names, as the JSON document and <c>--only</c> spell them.</summary>
internal static class ScenarioNames
{
    public const string FullFill = "fullFill";
    public const string Baseline = "baseline";
    public const string RateBound = "rateBound";
    public const string SteadyTick = "steadyTick";
    public const string GapRepair = "gapRepair";

    public static readonly IReadOnlyList<string> All = [FullFill, Baseline, RateBound, SteadyTick, GapRepair];
}
