using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Storage;

/// <summary>One stored candle as the database holds it: prices and volumes are REAL columns, so doubles.</summary>
/// <param name="OpenTimeMs">Opening time, Unix milliseconds UTC.</param>
public sealed record StoredCandle(
    long OpenTimeMs,
    double Open,
    double High,
    double Low,
    double Close,
    double Volume,
    double VolumeCurrency,
    double VolumeQuote)
{
    /// <summary>The column names of the fields, in the order <see cref="ChangedFields"/> lists them.</summary>
    public static IReadOnlyList<string> FieldNames { get; } = ["open", "high", "low", "close", "vol", "vol_currency", "vol_quote"];

    /// <summary>The candle as it would be stored: each decimal converted to the double the REAL column keeps.</summary>
    public static StoredCandle From(Candle candle)
    {
        ArgumentNullException.ThrowIfNull(candle);
        return new StoredCandle(
            candle.OpenTimeMs,
            (double)candle.Open,
            (double)candle.High,
            (double)candle.Low,
            (double)candle.Close,
            (double)candle.Volume,
            (double)candle.VolumeCurrency,
            (double)candle.VolumeQuote);
    }

    /// <summary>The column names of the fields whose stored values differ from <paramref name="other"/>'s,
    /// compared exactly (empty when none does).</summary>
    public IReadOnlyList<string> ChangedFields(StoredCandle other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var changed = new List<string>();
        AddIfChanged(changed, 0, Open, other.Open);
        AddIfChanged(changed, 1, High, other.High);
        AddIfChanged(changed, 2, Low, other.Low);
        AddIfChanged(changed, 3, Close, other.Close);
        AddIfChanged(changed, 4, Volume, other.Volume);
        AddIfChanged(changed, 5, VolumeCurrency, other.VolumeCurrency);
        AddIfChanged(changed, 6, VolumeQuote, other.VolumeQuote);
        return changed;
    }

    /// <summary>The value of the field named as in <see cref="FieldNames"/>.</summary>
    public double Field(string name) => name switch
    {
        "open" => Open,
        "high" => High,
        "low" => Low,
        "close" => Close,
        "vol" => Volume,
        "vol_currency" => VolumeCurrency,
        "vol_quote" => VolumeQuote,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a candle field."),
    };

    private static void AddIfChanged(List<string> changed, int field, double mine, double theirs)
    {
        // Exact: both sides are the double of the exchange's decimal string, so equal strings give equal doubles.
        if (mine != theirs)
        {
            changed.Add(FieldNames[field]);
        }
    }
}
