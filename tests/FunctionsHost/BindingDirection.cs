namespace Blofin.Backfill.FunctionsHost;

/// <summary>Which way a binding's data flows, as the worker reports it.</summary>
public enum BindingDirection
{
    In = 0,
    Out = 1,
    InOut = 2,
}
