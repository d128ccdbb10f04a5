namespace Blofin.Backfill.FunctionsHost;

public sealed class LocalSettingsTests
{
    [Fact]
    public void ReadValues_LocalSettingsFile_ReturnsValuesAsCoreToolsExportsThem()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                {
                  "IsEncrypted": false,
                  "Values": {
                    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
                    "Backfill__LookbackHours": "168",
                    "Blofin__ShortWindowLimit": 500,
                  },
                  "ConnectionStrings": { "Ignored": "x" }
                }
                """);

            var values = LocalSettings.ReadValues(path);

            Assert.Equal(
                new Dictionary<string, string?>
                {
                    ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
                    ["Backfill__LookbackHours"] = "168",
                    ["Blofin__ShortWindowLimit"] = "500",
                },
                values);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadValues_NoValuesObject_ThrowsNamingTheFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "IsEncrypted": false }""");

            var error = Assert.Throws<InvalidDataException>(() => LocalSettings.ReadValues(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
