using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Export;

public sealed class ExportQueryTests
{
    [Fact]
    public void Parse_OnlyTheRange_DefaultsToParquetOfOneMinuteBars()
    {
        var query = ExportQuery.Parse("btc-usdt", "2025-01-06", "2025-01-13T00:00Z", format: null, bar: "");

        Assert.Equal(
            new ExportQuery("BTC-USDT", Bar.OneMinute, ExportFormat.Parquet, new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 1, 13, 0, 0, 0, TimeSpan.Zero)),
            query);
        Assert.Equal("application/vnd.apache.parquet", query.ContentType);
        Assert.Equal("BTC-USDT-1m-20250106T0000Z-20250113T0000Z.parquet", query.FileName);
    }

    [Fact]
    public void Parse_ExactlyTheLongestRange_IsAccepted()
    {
        var query = ExportQuery.Parse("BTC-USDT", "2025-01-01T00:00Z", "2025-02-01T00:00Z", "csv", "1m");

        Assert.Equal(ExportQuery.MaxRange, query.ToUtc - query.FromUtc);
        Assert.Equal("text/csv; charset=utf-8", query.ContentType);
    }

    [Theory]
    [InlineData("BTC-USDT", "2025-01-01T00:00Z", "2025-02-01T00:01Z", null, "longer than 31 days")]
    [InlineData("BTC-USDT", "2025-01-02", "2025-01-02", null, "is not before 'to'")]
    [InlineData("BTC-USDT", null, "2025-01-02", null, "'from' is required")]
    [InlineData("BTC-USDT", "2025-01-01", " ", null, "'to' is required")]
    [InlineData("BTC-USDT", "2025-13-01", "2025-01-02", null, "from '2025-13-01' is not an ISO 8601 time")]
    [InlineData("BTC-USDT", "2025-01-01", "2025-01-02", "json", "unknown format 'json'")]
    [InlineData("BTC/USDT", "2025-01-01", "2025-01-02", null, "is not a Blofin instrument ID")]
    public void Parse_BadParameter_ThrowsNamingIt(string? instId, string? from, string? to, string? format, string problem)
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => ExportQuery.Parse(instId, from, to, format, bar: null));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MonthBar_IsRefusedForHavingNoFixedLength()
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => ExportQuery.Parse("BTC-USDT", "2025-01-01", "2025-01-02", null, "1M"));

        Assert.Contains("no fixed length", error.Message, StringComparison.Ordinal);
    }
}
