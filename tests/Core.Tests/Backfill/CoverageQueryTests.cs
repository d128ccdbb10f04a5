using System.Web;

namespace Blofin.Backfill.Backfill;

public sealed class CoverageQueryTests
{
    [Fact]
    public void TryParse_NoParameters_AsksForEverySymbol()
    {
        Assert.True(CoverageQuery.TryParse(HttpUtility.ParseQueryString(string.Empty), out var query, out var error));

        Assert.Null(query.Symbols);
        Assert.Null(error);
    }

    [Fact]
    public void TryParse_SymbolsInAnyCaseRepeatedAndTheFunctionKey_ListsEachSymbolOnceInUpperCase()
    {
        var parameters = HttpUtility.ParseQueryString("?code=key&Symbols=btc-usdt,ETH-USDT&symbols=BTC-USDT,sol-usdt");

        Assert.True(CoverageQuery.TryParse(parameters, out var query, out _));

        Assert.Equal(["BTC-USDT", "ETH-USDT", "SOL-USDT"], query.Symbols);
    }

    [Theory]
    [InlineData("?symbols=ETH-USDT&")]
    [InlineData("?&symbols=ETH-USDT&&")]
    public void TryParse_EmptySegments_AreIgnored(string queryString)
    {
        Assert.True(CoverageQuery.TryParse(HttpUtility.ParseQueryString(queryString), out var query, out _));

        Assert.Equal(["ETH-USDT"], query.Symbols);
    }

    [Theory]
    [InlineData("?symbols=BTC-USDT,DOGE", "symbols: 'DOGE' is not a Blofin instrument ID (expected BASE-QUOTE such as BTC-USDT).")]
    [InlineData("?symbols=", "The symbols parameter is empty; give a comma list such as BTC-USDT,ETH-USDT, or leave it out for every symbol.")]
    [InlineData("?instId=BTC-USDT", "Unknown query parameter 'instId'; the only one is symbols, e.g. ?symbols=BTC-USDT,ETH-USDT.")]
    [InlineData("?BTC-USDT", "The query part 'BTC-USDT' is not name=value; use ?symbols=BTC-USDT,ETH-USDT.")]
    [InlineData("?symbols=ETH-USDT&BTC-USDT&", "The query part 'BTC-USDT' is not name=value; use ?symbols=BTC-USDT,ETH-USDT.")]
    public void TryParse_BadParameters_RefusesWithTheReason(string queryString, string expected)
    {
        Assert.False(CoverageQuery.TryParse(HttpUtility.ParseQueryString(queryString), out var query, out var error));

        Assert.Null(query);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_LongUnknownName_EchoesOnlyItsStart()
    {
        var name = new string('x', 500);

        Assert.False(CoverageQuery.TryParse(HttpUtility.ParseQueryString($"?{name}=1"), out _, out var error));

        Assert.Contains(new string('x', 40) + "...'", error, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 41), error, StringComparison.Ordinal);
    }
}
