using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Backfill;

/// <summary>Which symbols to keep complete: the configured list, or every live instrument.</summary>
public sealed class SymbolSource(IOptions<BackfillOptions> options, InstrumentCatalog instruments)
{
    /// <summary>The value of <c>Backfill:Symbols</c> that asks for every live instrument.</summary>
    public const string LiveKeyword = "live";

    /// <summary>The symbols, upper case, without duplicates, in a stable order.</summary>
    public async Task<IReadOnlyList<string>> GetSymbolsAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value;
        if (string.Equals(configured.Symbols.Trim(), LiveKeyword, StringComparison.OrdinalIgnoreCase))
        {
            var quote = configured.QuoteCurrency?.Trim();
            var all = await instruments.GetAllAsync(cancellationToken);
            return [.. all
                .Where(i => i.IsLive)
                .Where(i => string.IsNullOrEmpty(quote) || string.Equals(i.QuoteCurrency, quote, StringComparison.OrdinalIgnoreCase))
                .Select(i => i.InstId)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)];
        }

        return ParseList(configured.Symbols);
    }

    /// <summary>Splits a comma list of instrument IDs, validating each.</summary>
    /// <exception cref="InvalidBackfillMessageException">An entry is not an instrument ID.</exception>
    public static IReadOnlyList<string> ParseList(string symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        return [.. symbols
            .Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(BackfillMessageParser.NormalizeInstrumentId)
            .Distinct(StringComparer.Ordinal)];
    }
}
