namespace Blofin.Backfill.Coverage;

/// <summary>The heatmap's colour rule. A cell with no expected bar is grey; a cell whose bars are all
/// stored is green; a cell whose bars that are not stored are all proven absent at the exchange is
/// purple; any other cell takes the step of its share of expected bars present, from light green down
/// to dark red, and carries a purple bar along its foot if some of its bars are proven absent.</summary>
internal static class HeatmapPalette
{
    public const string NotListed = "#d9d9d9";
    public const string Complete = "#1a9850";
    public const string AtLeast95 = "#91cf60";
    public const string AtLeast75 = "#d9ef8b";
    public const string AtLeast50 = "#fee08b";
    public const string AtLeast25 = "#fc8d59";
    public const string AboveZero = "#d73027";
    public const string Empty = "#67001f";
    public const string AbsentAtExchange = "#6a51a3";

    /// <summary>The share-present steps, best first, with the lowest percent each one starts at, for the legend.</summary>
    public static IReadOnlyList<(string Fill, string Label)> Steps { get; } =
    [
        (Complete, "100%"),
        (AtLeast95, "\u2265 95%"),
        (AtLeast75, "\u2265 75%"),
        (AtLeast50, "\u2265 50%"),
        (AtLeast25, "\u2265 25%"),
        (AboveZero, "> 0%"),
        (Empty, "0%"),
    ];

    public static string FillOf(HeatmapCell cell)
    {
        if (cell.Expected <= 0)
        {
            return NotListed;
        }

        if (cell.Present >= cell.Expected)
        {
            return Complete;
        }

        if (cell.AbsentAtExchange > 0 && cell.Missing <= 0)
        {
            return AbsentAtExchange;
        }

        // Whole numbers only: 57 of 60 is 95% exactly, and must not fall a step for a rounding error.
        var present = 100L * cell.Present;
        return present >= 95L * cell.Expected ? AtLeast95
            : present >= 75L * cell.Expected ? AtLeast75
            : present >= 50L * cell.Expected ? AtLeast50
            : present >= 25L * cell.Expected ? AtLeast25
            : cell.Present > 0 ? AboveZero
            : Empty;
    }

    /// <summary>Whether the cell shows the purple foot: some bars proven absent, others still missing.</summary>
    public static bool HasAbsentMark(HeatmapCell cell) =>
        cell.Expected > 0 && cell.AbsentAtExchange > 0 && cell.Missing > 0;
}
