namespace Blofin.Backfill.FunctionsHost;

/// <summary>Which of the protocol's data forms a <see cref="TypedValue"/> holds.</summary>
public enum TypedValueKind
{
    /// <summary>The protocol's <c>string</c>.</summary>
    Text,
    Json,
    Bytes,
    Stream,
    /// <summary>The protocol's <c>int</c> (sint64).</summary>
    WholeNumber,
    /// <summary>The protocol's <c>double</c>.</summary>
    Number,
}
