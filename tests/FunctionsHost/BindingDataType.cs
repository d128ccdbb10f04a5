namespace Blofin.Backfill.FunctionsHost;

/// <summary>The data type a binding asks the host for, as the worker reports it.</summary>
public enum BindingDataType
{
    Undefined = 0,
    /// <summary>The protocol's <c>string</c>.</summary>
    Text = 1,
    Binary = 2,
    Stream = 3,
}
