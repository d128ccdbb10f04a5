using System.Net;
using System.Text;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Functions;
using Blofin.Backfill.Sync;
using Blofin.Backfill.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Blofin.Backfill.Export.ExportTestData;

namespace Blofin.Backfill.Export;

/// <summary>The HTTP export function called as a class, over a database blob in Azurite.</summary>
public sealed class ExportCandlesFunctionTests(AzuriteFixture azurite)
{
    private const string Btc = "BTC-USDT";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_ParquetRange_ReturnsAReadableParquetWithItsContentTypeAndFileName()
    {
        await using var blob = await BlobDatabase.CreateAsync(azurite, minutes: 3000, Ct);

        var response = await blob.GetAsync($"export/{Btc}?from=2025-01-06T01:00Z&to=2025-01-07T01:00Z&format=parquet");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.apache.parquet", response.Header("Content-Type"));
        Assert.Equal("attachment; filename=\"BTC-USDT-1m-20250106T0100Z-20250107T0100Z.parquet\"", response.Header("Content-Disposition"));
        Assert.Equal(("1440", "0", "0"), (response.Header("X-Export-Rows"), response.Header("X-Export-Missing-Bars"), response.Header("X-Export-Absent-Bars")));
        using var body = new MemoryStream(response.BodyBytes());
        var file = await ParquetReadBack.ReadAsync(body, Ct);
        Assert.Equal(1440, file.Rows);
        Assert.Equal((M(60), M(1499)), (file.OpenTimeMs(0), file.OpenTimeMs(1439)));
        Assert.Equal(Stored(Btc, 1000).Close, file.Values["close"][940]);
        Assert.True(file.Schema[0].LogicalType?.TIMESTAMP?.IsAdjustedToUTC);
    }

    [Fact]
    public async Task RunAsync_Csv_ReturnsUtf8CsvWithItsContentType()
    {
        await using var blob = await BlobDatabase.CreateAsync(azurite, minutes: 120, Ct);

        var response = await blob.GetAsync($"export/{Btc}?from=2025-01-06&to=2025-01-06T01:00Z&format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", response.Header("Content-Type"));
        Assert.EndsWith(".csv\"", response.Header("Content-Disposition"), StringComparison.Ordinal);
        var lines = Encoding.UTF8.GetString(response.BodyBytes()).TrimEnd().Split('\n');
        Assert.Equal(61, lines.Length);
        Assert.StartsWith("2025-01-06T00:59:00Z,", lines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=2025-01-01T00:00Z&to=2025-02-02T00:00Z", "longer than 31 days")]
    [InlineData("from=2025-01-07T00:00Z&to=2025-01-06T00:00Z", "'from' 2025-01-07T00:00:00Z is not before 'to' 2025-01-06T00:00:00Z")]
    [InlineData("from=2025-01-06T00:00Z", "'to' is required")]
    [InlineData("to=2025-01-06T00:00Z", "'from' is required")]
    [InlineData("from=last-week&to=2025-01-06T00:00Z", "from 'last-week' is not an ISO 8601 time")]
    [InlineData("from=2025-01-05&to=2025-01-06&format=xlsx", "unknown format 'xlsx'")]
    public async Task RunAsync_BadParameters_Returns400NamingTheProblem(string query, string problem)
    {
        await using var blob = await BlobDatabase.CreateAsync(azurite, minutes: 10, Ct);

        var response = await blob.GetAsync($"export/{Btc}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Header("Content-Type"));
        Assert.Contains(problem, Encoding.UTF8.GetString(response.BodyBytes()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BlobChangedSinceAnEarlierExport_ServesTheCurrentVersion()
    {
        await using var blob = await BlobDatabase.CreateAsync(azurite, minutes: 60, Ct);
        var first = await blob.GetAsync($"export/{Btc}?from=2025-01-06&to=2025-01-07&format=csv");

        // Another instance merges an hour more into the blob; this instance's cached copy is now old.
        await blob.AppendAsync(fromMinute: 60, count: 60, Ct);
        var second = await blob.GetAsync($"export/{Btc}?from=2025-01-06&to=2025-01-07&format=csv");

        Assert.Equal(("60", "120"), (first.Header("X-Export-Rows"), second.Header("X-Export-Rows")));
    }

    [Fact]
    public async Task RunAsync_SymbolNotInTheDatabase_Returns404NamingIt()
    {
        await using var blob = await BlobDatabase.CreateAsync(azurite, minutes: 10, Ct);

        var response = await blob.GetAsync("export/DOGE-USDT?from=2025-01-06&to=2025-01-07", instId: "DOGE-USDT");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("unknown symbol DOGE-USDT", Encoding.UTF8.GetString(response.BodyBytes()), StringComparison.Ordinal);
    }

    /// <summary>A database blob in its own Azurite container, written through one <see cref="LeasedDatabaseFile"/> and
    /// read by the function through another with its own cache, as two instances of the app would.</summary>
    private sealed class BlobDatabase : IAsyncDisposable
    {
        private readonly TestBlobContainer _container;
        private readonly TempDirectory _caches;
        private readonly LeasedDatabaseFile _writer;
        private readonly LeasedDatabaseFile _reader;

        private BlobDatabase(TestBlobContainer container, TempDirectory caches, LeasedDatabaseFile writer, LeasedDatabaseFile reader)
        {
            _container = container;
            _caches = caches;
            _writer = writer;
            _reader = reader;
        }

        public static async Task<BlobDatabase> CreateAsync(AzuriteFixture azurite, int minutes, CancellationToken cancellationToken)
        {
            var container = await azurite.ReserveContainerAsync(cancellationToken);
            var caches = TempDirectory.Create("blofin-export-blob-");
            var writer = await SyncTestFiles.CreateAsync(azurite, container.Name, caches.Combine("writer"), cancellationToken);
            var reader = await SyncTestFiles.CreateAsync(azurite, container.Name, caches.Combine("reader"), cancellationToken);
            var blob = new BlobDatabase(container, caches, writer, reader);
            await blob.AppendAsync(0, minutes, cancellationToken);
            return blob;
        }

        /// <summary>Merges minutes <paramref name="fromMinute"/>.. of BTC-USDT into the blob through the writer.</summary>
        public Task<int> AppendAsync(int fromMinute, int count, CancellationToken cancellationToken) =>
            new BlobCandleStore(_writer).WriteAsync(
                (database, ct) => database.InsertMissingAsync(Btc, Bar.OneMinute, Enumerable.Range(fromMinute, count).Select(m => At(Btc, m)), ct),
                cancellationToken);

        public async Task<TestHttpResponseData> GetAsync(string pathAndQuery, string instId = Btc)
        {
            var exporter = new CandleExporter(new FakeTimeProvider(Now), NullLogger<CandleExporter>.Instance);
            var function = new ExportCandles(new CandleDownloadHandler(exporter, new BlobCandleStore(_reader)));
            var request = new TestHttpRequestData(new Uri($"http://127.0.0.1/api/{pathAndQuery}"));
            return (TestHttpResponseData)await function.RunAsync(request, instId, Ct);
        }

        public async ValueTask DisposeAsync()
        {
            await _reader.DisposeAsync();
            await _writer.DisposeAsync();
            await _container.DisposeAsync();
            _caches.Dispose();
        }
    }
}
