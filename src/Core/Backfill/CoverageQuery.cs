using System.Collections.Specialized;
using System.Diagnostics.CodeAnalysis;

namespace Blofin.Backfill.Backfill;

/// <summary>What a reader of the published coverage asks for: every symbol in the database, or a few.</summary>
/// <param name="Symbols">Upper-case instrument IDs without duplicates, or null for every symbol in the database.</param>
public sealed record CoverageQuery(IReadOnlyList<string>? Symbols)
{
    /// <summary>The optional parameter naming the symbols: <c>symbols=BTC-USDT,ETH-USDT</c> (repeating it adds more).</summary>
    public const string SymbolsParameter = "symbols";

    /// <summary>The parameter that carries a function key on Azure Functions; the host checks it, the query ignores it.</summary>
    public const string FunctionKeyParameter = "code";

    private const int MaxEchoedLength = 40;

    /// <summary>Reads query parameters: <c>symbols</c> (optional) and the function key; anything else is refused,
    /// so that a misspelt parameter does not silently report every symbol.</summary>
    /// <param name="error">Why the parameters were refused, in one line a person can act on.</param>
    public static bool TryParse(
        NameValueCollection parameters, [NotNullWhen(true)] out CoverageQuery? query, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        query = null;
        foreach (var name in parameters.AllKeys)
        {
            // Empty segments ('?symbols=BTC-USDT&') come as values without a name: nothing was asked.
            if (name is null && parameters.GetValues(name)?.All(string.IsNullOrEmpty) != false)
            {
                continue;
            }

            if (!string.Equals(name, SymbolsParameter, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(name, FunctionKeyParameter, StringComparison.OrdinalIgnoreCase))
            {
                error = name is null
                    ? $"The query part '{Echo(parameters.GetValues(name)!.First(v => !string.IsNullOrEmpty(v)))}' is not name=value; use ?{SymbolsParameter}=BTC-USDT,ETH-USDT."
                    : $"Unknown query parameter '{Echo(name)}'; the only one is {SymbolsParameter}, e.g. ?{SymbolsParameter}=BTC-USDT,ETH-USDT.";
                return false;
            }
        }

        // Repeated parameters arrive joined by commas, which is the list's own separator.
        var symbols = parameters[SymbolsParameter];
        if (symbols is null)
        {
            query = new CoverageQuery(Symbols: null);
            error = null;
            return true;
        }

        try
        {
            var list = SymbolSource.ParseList(symbols);
            if (list.Count == 0)
            {
                error = $"The {SymbolsParameter} parameter is empty; give a comma list such as BTC-USDT,ETH-USDT, or leave it out for every symbol.";
                return false;
            }

            query = new CoverageQuery(list);
            error = null;
            return true;
        }
        catch (InvalidBackfillMessageException ex)
        {
            error = $"{SymbolsParameter}: {ex.Message}";
            return false;
        }
    }

    private static string Echo(string? text) =>
        text is null ? string.Empty : text.Length <= MaxEchoedLength ? text : string.Concat(text.AsSpan(0, MaxEchoedLength), "...");
}
