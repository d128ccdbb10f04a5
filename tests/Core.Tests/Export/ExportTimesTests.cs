namespace Blofin.Backfill.Export;

public sealed class ExportTimesTests
{
    [Theory]
    [InlineData("2025-01-06", 2025, 1, 6, 0, 0)]
    [InlineData("2025-01-06T12:30", 2025, 1, 6, 12, 30)]
    [InlineData("2025-01-06T12:30Z", 2025, 1, 6, 12, 30)]
    [InlineData("2025-01-06T12:30:00Z", 2025, 1, 6, 12, 30)]
    [InlineData("2025-01-06T14:30:00+02:00", 2025, 1, 6, 12, 30)]
    [InlineData("2025-01-06T12:30:00.000Z", 2025, 1, 6, 12, 30)]
    public void Parse_Iso8601_IsTheUtcInstant(string text, int year, int month, int day, int hour, int minute)
    {
        var parsed = ExportTimes.Parse(text, "--from");

        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero), parsed);
        Assert.Equal(TimeSpan.Zero, parsed.Offset);
    }

    [Theory]
    [InlineData("06/01/2025")]
    [InlineData("1736121600000")]
    [InlineData("2025-01-06 12:30")]
    public void Parse_NotIso8601_ThrowsNamingTheOptionAndTheValue(string text)
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => ExportTimes.Parse(text, "--to"));

        Assert.StartsWith($"--to '{text}' is not an ISO 8601 time", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Echo_LongValueWithLineBreaks_StaysShortAndOnOneLine()
    {
        var echo = ExportTimes.Echo(new string('x', 30) + "\n" + new string('y', 30));

        Assert.DoesNotContain('\n', echo);
        Assert.Equal(43, echo.Length);
    }
}
