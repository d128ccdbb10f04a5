namespace Blofin.Backfill.FunctionsHost;

/// <summary>A function the worker reported in its metadata and that loaded.</summary>
/// <param name="Bindings">In the order of the worker's raw bindings.</param>
public sealed record FunctionDescription(
    string Name,
    string FunctionId,
    string ScriptFile,
    string EntryPoint,
    string Language,
    IReadOnlyList<FunctionBinding> Bindings,
    IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>The trigger binding: the input binding whose type ends in <c>Trigger</c>.</summary>
    public FunctionBinding? Trigger => Bindings.FirstOrDefault(
        b => b.Direction == BindingDirection.In && b.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
}
