using static Blofin.Backfill.Export.ExportTestData;

namespace Blofin.Backfill.Export;

/// <summary>The <c>export</c> command run as a process: what it prints and its exit code.</summary>
public sealed class ExportCommandTests
{
    private const string Btc = "BTC-USDT";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Export_Parquet_WritesTheFilesAndSaysRowsRangeAndCompleteness()
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc, "ETH-USDT"], 120, skip: m => m is 50 or 51, Ct);

        var (exitCode, output, error) = await Cli.CliProcess.RunAsync(
            ["export", "--format", "parquet", "--symbols", "btc-usdt,ETH-USDT", "--from", "2025-01-06T00:00Z", "--to", "2025-01-06T02:00Z", "--db", fixture.DatabasePath, "--out", fixture.OutputDirectory]);

        Assert.Equal((0, string.Empty), (exitCode, error));
        Assert.Equal(["BTC-USDT-1m.parquet", "ETH-USDT-1m.parquet"], fixture.OutputFiles());
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"BTC-USDT 1m: 118 rows, 2025-01-06T00:00Z..2025-01-06T01:59Z -> {fixture.Output("BTC-USDT-1m.parquet")} (", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("INCOMPLETE: 2 minutes missing, 0 absent at the exchange (proven holes), of 120 expected from 2025-01-06T00:00Z to 2025-01-06T01:59Z", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"Wrote 2 files, 236 rows, 2025-01-06T00:00Z..2025-01-06T01:59Z, ", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("4 minutes missing and 0 absent at the exchange in 2 of the files.", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_CompleteRange_SaysComplete()
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc], 60, skip: null, Ct);

        var (exitCode, output, _) = await Cli.CliProcess.RunAsync(["export", "--format", "csv", "--db", fixture.DatabasePath, "--out", fixture.OutputDirectory]);

        Assert.Equal(0, exitCode);
        Assert.EndsWith("complete (60 of 60)", output.Split('\n')[0], StringComparison.Ordinal);
        Assert.EndsWith("every file is complete over its range.", output.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown symbol DOGE-USDT", "--symbols", "DOGE-USDT")]
    [InlineData("--from 2025-01-07T00:00:00Z is not before --to 2025-01-06T00:00:00Z", "--from", "2025-01-07", "--to", "2025-01-06")]
    [InlineData("unknown format 'xlsx'", "--format", "xlsx")]
    [InlineData("--from 'yesterday' is not an ISO 8601 time", "--from", "yesterday")]
    [InlineData("unknown bar '2m'", "--bar", "2m")]
    public async Task Export_BadInput_ExitsTwoWithOneLineNamingTheProblemAndWritesNothing(string problem, params string[] arguments)
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc], 10, skip: null, Ct);

        var (exitCode, output, error) = await Cli.CliProcess.RunAsync(["export", "--db", fixture.DatabasePath, "--out", fixture.OutputDirectory, .. arguments]);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        var line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(problem, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fixture.OutputDirectory));
    }

    [Fact]
    public async Task Export_UnwritableOutputFolder_ExitsTwoWithOneLineAndWritesNothing()
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc], 10, skip: null, Ct);
        // Root ignores permission bits, so a file where a folder must go is the unwritable folder every user has.
        var blocker = Path.Combine(fixture.Root, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder", Ct);

        var (exitCode, _, error) = await Cli.CliProcess.RunAsync(["export", "--db", fixture.DatabasePath, "--out", Path.Combine(blocker, "out")]);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith($"error: cannot create the output folder '{Path.Combine(blocker, "out")}'", line, StringComparison.Ordinal);
        Assert.Equal(["a-file", "candles.sqlite"], Directory.EnumerateFileSystemEntries(fixture.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
