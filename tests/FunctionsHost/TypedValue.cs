using System.Globalization;
using System.Text;

namespace Blofin.Backfill.FunctionsHost;

/// <summary>One value in the protocol's data forms: an input, a trigger metadata entry, a return
/// value, an output or a log property.</summary>
public sealed record TypedValue
{
    private TypedValue(TypedValueKind kind, object value)
    {
        Kind = kind;
        Value = value;
    }

    public TypedValueKind Kind { get; }

    /// <summary>A <see cref="string"/> (Text, Json), a <see cref="byte"/> array (Bytes, Stream),
    /// a <see cref="long"/> (WholeNumber) or a <see cref="double"/> (Number).</summary>
    public object Value { get; }

    public static TypedValue Text(string value) => new(TypedValueKind.Text, value);

    public static TypedValue Json(string json) => new(TypedValueKind.Json, json);

    public static TypedValue Bytes(byte[] value) => new(TypedValueKind.Bytes, value);

    public static TypedValue Stream(byte[] value) => new(TypedValueKind.Stream, value);

    public static TypedValue WholeNumber(long value) => new(TypedValueKind.WholeNumber, value);

    public static TypedValue Number(double value) => new(TypedValueKind.Number, value);

    /// <summary>The value as text: strings and JSON as they are, bytes as UTF-8, numbers invariant.</summary>
    public override string ToString() => Value switch
    {
        string text => text,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => Value.ToString() ?? string.Empty,
    };
}
