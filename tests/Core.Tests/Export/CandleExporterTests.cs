using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Microsoft.Extensions.Logging;
using Parquet.Meta;
using static Blofin.Backfill.Export.ExportTestData;

namespace Blofin.Backfill.Export;

public sealed class CandleExporterTests
{
    private const string Btc = "BTC-USDT";
    private const string Eth = "ETH-USDT";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ExportRequest Request(ExportFixture fixture, ExportFormat format, DateTimeOffset? from, DateTimeOffset? to, params string[] symbols) =>
        new(symbols, Bar.OneMinute, format, fixture.OutputDirectory, from, to);

    [Fact]
    public async Task ExportAsync_Parquet_ReadsBackAsTheDatabaseRowsOfTheRange()
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc, Eth], 3000, skip: null, Ct);

        var summary = await fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Parquet, T0Utc.AddMinutes(100), T0Utc.AddMinutes(2100), Btc, Eth), Ct);

        Assert.Equal(["BTC-USDT-1m.parquet", "ETH-USDT-1m.parquet"], fixture.OutputFiles());
        foreach (var instId in new[] { Btc, Eth })
        {
            var file = await ParquetReadBack.ReadAsync(fixture.Output($"{instId}-1m.parquet"), Ct);
            Assert.Equal(2000, file.Rows);
            Assert.Equal(M(100), file.OpenTimeMs(0));
            Assert.Equal(M(2099), file.OpenTimeMs(1999));
            foreach (var row in new[] { 0, 777, 1999 })
            {
                Assert.Equal(Stored(instId, 100 + row), RowOf(file, row));
            }
        }

        var exported = summary.Files.Single(f => f.InstId == Btc);
        Assert.Equal((2000L, M(100), M(2099)), (exported.Rows, exported.FirstOpenTimeMs!.Value, exported.LastOpenTimeMs!.Value));
        Assert.Equal(fixture.Output("BTC-USDT-1m.parquet"), exported.Path);
        Assert.Equal(new FileInfo(exported.Path!).Length, exported.Bytes);
        Assert.Equal(new ExportCompleteness(M(100), M(2099), 2000, 0, 0), exported.Completeness);
    }

    [Fact]
    public async Task ExportAsync_Parquet_HasTheColumnsInOrderWithAUtcMillisecondTimestampAndZstd()
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc], 10, skip: null, Ct);

        await fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Parquet, null, null, Btc), Ct);

        var file = await ParquetReadBack.ReadAsync(fixture.Output("BTC-USDT-1m.parquet"), Ct);
        Assert.Equal(["timestamp", "open", "high", "low", "close", "volume", "volume_contracts", "volume_quote"], file.Columns);
        var timestamp = file.Schema[0];
        // INT64 with the TIMESTAMP logical type (UTC, milliseconds), not the legacy INT96.
        Assert.Equal(Parquet.Meta.Type.INT64, timestamp.Type);
        Assert.True(timestamp.LogicalType?.TIMESTAMP?.IsAdjustedToUTC);
        Assert.NotNull(timestamp.LogicalType!.TIMESTAMP!.Unit.MILLIS);
        Assert.All(file.Schema, e => Assert.Equal(FieldRepetitionType.REQUIRED, e.RepetitionType));
        Assert.All(file.Schema.Skip(1), e => Assert.Equal(Parquet.Meta.Type.DOUBLE, e.Type));
        Assert.All(file.Codecs, c => Assert.Equal(CompressionCodec.ZSTD, c));
        Assert.All(file.Times, t => Assert.Equal(DateTimeKind.Utc, t.Kind));
        Assert.Equal("BTC-USDT", file.Metadata["blofin.inst_id"]);
    }

    [Fact]
    public async Task ExportAsync_ParquetLongerThanARowGroup_KeepsEveryRowInOrderAcrossGroups()
    {
        using var fixture = new ExportFixture();
        const int Minutes = (2 * ParquetCandleWriter.RowGroupSize) + 7;
        await CreateAsync(fixture.DatabasePath, [Btc], Minutes, skip: null, Ct);

        await fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Parquet, null, null, Btc), Ct);

        var file = await ParquetReadBack.ReadAsync(fixture.Output("BTC-USDT-1m.parquet"), Ct);
        Assert.Equal(3, file.RowGroups);
        Assert.Equal(Minutes, file.Rows);
        Assert.Equal(Enumerable.Range(0, Minutes).Select(M), Enumerable.Range(0, Minutes).Select(file.OpenTimeMs));
        Assert.Equal(Stored(Btc, ParquetCandleWriter.RowGroupSize), RowOf(file, ParquetCandleWriter.RowGroupSize));
    }

    [Fact]
    public async Task ExportAsync_MissingMinutesAndProvenHoles_SaysHowManyInTheSummaryAndTheFile()
    {
        using var fixture = new ExportFixture();
        // Minutes 10-14 were never fetched; 20-22 are absent at the exchange (recorded as a hole).
        await CreateAsync(fixture.DatabasePath, [Btc], 1000, skip: m => m is >= 10 and <= 14 or >= 20 and <= 22, Ct);
        await AddHoleAsync(fixture.DatabasePath, Btc, 20, 22, Ct);

        var summary = await fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Parquet, T0Utc, T0Utc.AddMinutes(1000), Btc), Ct);

        var exported = Assert.Single(summary.Files);
        Assert.Equal(992, exported.Rows);
        Assert.Equal(new ExportCompleteness(M(0), M(999), 1000, 5, 3), exported.Completeness);
        Assert.False(exported.Completeness.IsComplete);
        var file = await ParquetReadBack.ReadAsync(exported.Path!, Ct);
        Assert.Equal(("5", "3", "1000"), (file.Metadata["blofin.missing_bars"], file.Metadata["blofin.absent_bars"], file.Metadata["blofin.expected_bars"]));
    }

    [Fact]
    public async Task ExportAsync_NoRangeGiven_ExportsEverythingStoredAndExpectsTheFirstToTheLastRow()
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc], 300, skip: m => m == 150, Ct);

        var summary = await fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Csv, null, null, Btc), Ct);

        Assert.Equal(new ExportCompleteness(M(0), M(299), 300, 1, 0), Assert.Single(summary.Files).Completeness);
    }

    [Fact]
    public async Task ExportAsync_RangeEndingAfterNow_ExpectsOnlyTheClosedBars()
    {
        // At 00:00:30 after minute 500 the 500th minute is still forming: minutes 0..499 can be expected.
        using var fixture = new ExportFixture(now: T0Utc.AddMinutes(500).AddSeconds(30));
        await CreateAsync(fixture.DatabasePath, [Btc], 500, skip: null, Ct);

        var summary = await fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Parquet, T0Utc, T0Utc.AddDays(30), Btc), Ct);

        Assert.Equal(new ExportCompleteness(M(0), M(499), 500, 0, 0), Assert.Single(summary.Files).Completeness);
    }

    [Fact]
    public async Task ExportAsync_NoSymbolsGiven_ExportsEverySymbolInTheDatabase()
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Eth, Btc], 5, skip: null, Ct);

        var summary = await fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Csv, null, null), Ct);

        Assert.Equal([Btc, Eth], summary.Files.Select(f => f.InstId));
        Assert.Equal(["BTC-USDT-1m.csv", "ETH-USDT-1m.csv"], fixture.OutputFiles());
    }

    [Fact]
    public async Task ExportAsync_Csv_ReadsBackAsTheDatabaseRowsWithIsoUtcTimesAndInvariantNumbers()
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc], 2000, skip: null, Ct);

        await fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Csv, T0Utc.AddMinutes(60), T0Utc.AddMinutes(1500), Btc), Ct);

        var lines = await File.ReadAllLinesAsync(fixture.Output("BTC-USDT-1m.csv"), Ct);
        Assert.Equal("timestamp,open,high,low,close,volume,volume_contracts,volume_quote", lines[0]);
        Assert.Equal(1441, lines.Length);
        // Minute 60 of BTC-USDT: open 101.60, close 101.725; 61 contracts, 0.061 in base currency, 0.061 x 101.725 quote.
        Assert.Equal("2025-01-06T01:00:00Z,101.6,102.1,101.35,101.725,0.061,61,6.205225", lines[1]);
        Assert.StartsWith("2025-01-07T00:59:00Z,", lines[^1], StringComparison.Ordinal);
        for (var row = 0; row < 1440; row++)
        {
            Assert.Equal(Stored(Btc, 60 + row), ParseCsv(lines[row + 1]));
        }
    }

    [Fact]
    public async Task ExportAsync_Freqtrade_WritesItsFuturesFileWithExactlyItsSixColumns()
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc], 120, skip: null, Ct);

        var summary = await fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Freqtrade, null, null, Btc), Ct);

        Assert.Equal([Path.Combine("futures", "BTC_USDT_USDT-1m-futures.parquet")], fixture.OutputFiles());
        var file = await ParquetReadBack.ReadAsync(Assert.Single(summary.Files).Path!, Ct);
        Assert.Equal(["date", "open", "high", "low", "close", "volume"], file.Columns);
        Assert.True(file.Schema[0].LogicalType?.TIMESTAMP?.IsAdjustedToUTC);
        Assert.NotNull(file.Schema[0].LogicalType!.TIMESTAMP!.Unit.MILLIS);
        Assert.Equal(120, file.Rows);
        var expected = Stored(Btc, 119);
        Assert.Equal(
            (expected.OpenTimeMs, expected.Open, expected.High, expected.Low, expected.Close, expected.VolumeCurrency),
            (file.OpenTimeMs(119), file.Values["open"][119], file.Values["high"][119], file.Values["low"][119], file.Values["close"][119], file.Values["volume"][119]));
    }

    [Fact]
    public async Task ExportAsync_UnknownSymbol_ThrowsNamingItAndCreatesNothing()
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc], 10, skip: null, Ct);

        var error = await Assert.ThrowsAsync<UnknownExportSymbolException>(
            () => fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Parquet, null, null, Btc, "DOGE-USDT"), Ct));

        Assert.Equal(["DOGE-USDT"], error.Symbols);
        Assert.Contains("DOGE-USDT", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fixture.OutputDirectory));
    }

    [Theory]
    [InlineData(60, 0)]
    [InlineData(60, 60)]
    public async Task ExportAsync_FromNotBeforeTo_ThrowsAndCreatesNothing(int fromMinute, int toMinute)
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc], 10, skip: null, Ct);

        var error = await Assert.ThrowsAsync<InvalidExportRequestException>(
            () => fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Csv, T0Utc.AddMinutes(fromMinute), T0Utc.AddMinutes(toMinute), Btc), Ct));

        Assert.Contains("is not before --to", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fixture.OutputDirectory));
    }

    [Fact]
    public async Task ExportAsync_OutputFolderBelowAFile_ThrowsCannotCreateAndCreatesNothing()
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc], 10, skip: null, Ct);
        var blocker = Path.Combine(fixture.Root, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder", Ct);
        var request = Request(fixture, ExportFormat.Parquet, null, null, Btc) with { OutputDirectory = Path.Combine(blocker, "out") };

        var error = await Assert.ThrowsAsync<InvalidExportRequestException>(() => fixture.Exporter.ExportAsync(fixture.Store, request, Ct));

        Assert.StartsWith("cannot create the output folder", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal("not a folder", await File.ReadAllTextAsync(blocker, Ct));
    }

    [Fact]
    public async Task ExportAsync_FailureAfterTheFirstFile_LeavesNoNewFileAndKeepsTheOldOnes()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        // The first file's "exported" log line cancels the export while the second file is being written.
        using var fixture = new ExportFixture(logger: new CallbackLogger(6000, cancel.Cancel));
        await CreateAsync(fixture.DatabasePath, [Btc, Eth], 100, skip: null, Ct);
        Directory.CreateDirectory(fixture.OutputDirectory);
        await File.WriteAllTextAsync(fixture.Output("BTC-USDT-1m.parquet"), "an earlier export", Ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Parquet, null, null, Btc, Eth), cancel.Token));

        Assert.Equal(["BTC-USDT-1m.parquet"], fixture.OutputFiles());
        Assert.Equal("an earlier export", await File.ReadAllTextAsync(fixture.Output("BTC-USDT-1m.parquet"), Ct));
    }

    [Fact]
    public async Task ExportAsync_FreqtradeFailure_RemovesTheFoldersItCreated()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var fixture = new ExportFixture(logger: new CallbackLogger(6000, cancel.Cancel));
        await CreateAsync(fixture.DatabasePath, [Btc, Eth], 100, skip: null, Ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Freqtrade, null, null, Btc, Eth), cancel.Token));

        Assert.False(Directory.Exists(fixture.OutputDirectory));
    }

    [Fact]
    public async Task ExportAsync_FileOfAnEarlierExport_IsReplaced()
    {
        using var fixture = new ExportFixture();
        await CreateAsync(fixture.DatabasePath, [Btc], 30, skip: null, Ct);
        Directory.CreateDirectory(fixture.OutputDirectory);
        await File.WriteAllTextAsync(fixture.Output("BTC-USDT-1m.csv"), "an earlier export", Ct);

        await fixture.Exporter.ExportAsync(fixture.Store, Request(fixture, ExportFormat.Csv, null, null, Btc), Ct);

        Assert.Equal(31, (await File.ReadAllLinesAsync(fixture.Output("BTC-USDT-1m.csv"), Ct)).Length);
        Assert.Equal(["BTC-USDT-1m.csv"], fixture.OutputFiles());
    }

    private static StoredCandle RowOf(ParquetReadBack file, int row) => new(
        file.OpenTimeMs(row),
        file.Values["open"][row],
        file.Values["high"][row],
        file.Values["low"][row],
        file.Values["close"][row],
        file.Values["volume_contracts"][row],
        file.Values["volume"][row],
        file.Values["volume_quote"][row]);

    private static StoredCandle ParseCsv(string line)
    {
        var f = line.Split(',');
        var time = DateTimeOffset.ParseExact(f[0], "yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        double D(int i) => double.Parse(f[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

        // Columns: timestamp, open, high, low, close, volume (base), volume_contracts, volume_quote.
        return new StoredCandle(time.ToUnixTimeMilliseconds(), D(1), D(2), D(3), D(4), D(6), D(5), D(7));
    }

    /// <summary>Runs <paramref name="callback"/> when an event with <paramref name="eventId"/> is logged.</summary>
    private sealed class CallbackLogger(int eventId, Action callback) : ILogger<CandleExporter>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (id.Id == eventId)
            {
                callback();
            }
        }
    }
}
