namespace Blofin.Backfill.Coverage;

/// <summary>One UTC hour of one symbol in the coverage heatmap: how many bars the window expects in it,
/// how many are stored, and how many of the others are proven absent at the exchange.</summary>
/// <param name="Expected">Bars of the window in this hour: 60 one-minute bars for a whole hour, fewer in a
/// partial hour at either end of the window or in the hour the symbol was listed, 0 before listing.</param>
/// <param name="Present">Expected bars that are stored.</param>
/// <param name="AbsentAtExchange">Expected bars that are not stored because the exchange was proven not to have them.</param>
public readonly record struct HeatmapCell(int Expected, int Present, int AbsentAtExchange)
{
    /// <summary>Expected bars neither stored nor proven absent: the ones still to fetch.</summary>
    public int Missing => Expected - Present - AbsentAtExchange;
}
