using BenchmarkDotNet.Attributes;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Bench.Micro;

/// <summary><see cref="CandleDatabase.InsertMissingAsync"/> of a whole 168-hour window (10,081 rows) into a new
/// database file, and into one that already holds the rows (the merge of a re-run: nothing new).</summary>
[Config(typeof(SingleInvocationConfig))]
public class InsertBenchmarks
{
    public const int Rows = 10_081;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"blofin-bench-insert-{Guid.NewGuid():N}");
    private List<Candle> _candles = [];
    private CandleDatabase? _database;
    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_folder);
        const long startMs = 1_763_020_800_000; // 2025-11-13T08:00Z
        _candles = [.. Enumerable.Range(0, Rows).Select(i => new Candle(
            startMs + (i * 60_000L), 95_000.1m + i, 95_010.5m + i, 94_990.2m + i, 95_003.7m + i, 1234m, 1.234m, 117_234.5678m, IsConfirmed: true))];
    }

    [IterationSetup(Target = nameof(InsertMissing_10081RowsIntoEmptyFile))]
    public void OpenEmpty()
    {
        _path = Path.Combine(_folder, $"{Guid.NewGuid():N}.sqlite");
        _database = CandleDatabase.OpenAsync(_path, CancellationToken.None).GetAwaiter().GetResult();
    }

    [IterationSetup(Target = nameof(InsertMissing_10081RowsAlreadyStored))]
    public void OpenFull()
    {
        OpenEmpty();
        _database!.InsertMissingAsync("BTC-USDT", Bar.OneMinute, _candles, CancellationToken.None).GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void Close()
    {
        _database?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _database = null;
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_folder))
        {
            File.Delete(file);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    [Rows(Rows)]
    public Task<int> InsertMissing_10081RowsIntoEmptyFile() =>
        _database!.InsertMissingAsync("BTC-USDT", Bar.OneMinute, _candles, CancellationToken.None);

    [Benchmark]
    [Rows(Rows)]
    public Task<int> InsertMissing_10081RowsAlreadyStored() =>
        _database!.InsertMissingAsync("BTC-USDT", Bar.OneMinute, _candles, CancellationToken.None);
}
