using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Exchange;

public sealed class BarTests
{
    [Theory]
    [InlineData("1m", 60_000)]
    [InlineData("1H", 3_600_000)]
    [InlineData("1D", 86_400_000)]
    public void TryParse_KnownName_ReturnsItsLength(string name, long lengthMs)
    {
        Assert.True(Bar.TryParse(name, out var bar));
        Assert.Equal(lengthMs, bar.LengthMs);
        Assert.Equal(name, bar.ToString());
    }

    [Theory]
    [InlineData("1h")]
    [InlineData("60m")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_UnknownOrWrongCase_ReturnsFalse(string? name)
    {
        Assert.False(Bar.TryParse(name, out _));
    }

    [Fact]
    public void Parse_UnknownName_NamesTheBarAndTheKnownOnes()
    {
        var error = Assert.Throws<FormatException>(() => Bar.Parse("2m"));
        Assert.Contains("'2m'", error.Message, StringComparison.Ordinal);
        Assert.Contains("1m, 3m", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_MonthAndMinute_AreDistinct()
    {
        Assert.NotEqual(Bar.Parse("1m"), Bar.Parse("1M"));
        Assert.False(Bar.Parse("1M").HasFixedLength);
    }
}
