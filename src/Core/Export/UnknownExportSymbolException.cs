namespace Blofin.Backfill.Export;

/// <summary>An export named symbols the database has no candles (nor runs) of, for the bar asked; nothing was written.</summary>
public sealed class UnknownExportSymbolException : InvalidExportRequestException
{
    public UnknownExportSymbolException()
    {
    }

    public UnknownExportSymbolException(string message)
        : base(message)
    {
    }

    public UnknownExportSymbolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public UnknownExportSymbolException(IReadOnlyList<string> symbols, string bar, string database)
        : base($"unknown symbol{(symbols.Count == 1 ? string.Empty : "s")} {string.Join(", ", symbols)}: no {bar} candles in {database}.")
    {
        Symbols = symbols;
    }

    /// <summary>The symbols not found.</summary>
    public IReadOnlyList<string> Symbols { get; } = [];
}
