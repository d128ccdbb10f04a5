// A worker process for the multi-process tests of LeasedDatabaseFile, standing in for one function instance:
// it merges deterministic candle rows for some symbols into the database blob and prints what it merged.
//
// Usage: Blofin.Backfill.SyncWorker --symbols A,B --from <unix ms> --minutes <n> [--concurrent] [--pause]
//            [--setting Key=Value]...
// The storage connection comes from the environment (AzureWebJobsStorage), like a function's.
// stdout, one line each: "LEASED" (with --pause: the first apply holds the lease and waits for a line on stdin),
// "SNAPSHOT <bytes>" once its cached copy is there, "MERGED <symbol> <from> <minutes> <inserted>" after each
// merge returned, "TOTALS <json>" at the end.
using System.Globalization;
using System.Text.Json;
using Blofin.Backfill;
using Blofin.Backfill.Sync;
using Blofin.Backfill.SyncWorker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var symbols = new List<string>();
long fromMs = 0;
var minutes = 0;
var concurrent = false;
var pause = false;
var settings = new Dictionary<string, string?>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--symbols":
            symbols.AddRange(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            break;
        case "--from":
            fromMs = long.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--minutes":
            minutes = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--concurrent":
            concurrent = true;
            break;
        case "--pause":
            pause = true;
            break;
        case "--setting":
            var pair = args[++i].Split('=', 2);
            settings[pair[0]] = pair[1];
            break;
        default:
            await Console.Error.WriteLineAsync($"Unknown argument '{args[i]}'.");
            return 2;
    }
}

var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddInMemoryCollection(settings)
    .Build();
await using var services = new ServiceCollection()
    .AddLogging(logging => logging
        .SetMinimumLevel(LogLevel.Information)
        .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss.fff "; })
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace))
    .AddBlofinBackfill(configuration)
    .BuildServiceProvider();
var database = services.GetRequiredService<LeasedDatabaseFile>();
var worker = $"{Environment.ProcessId}";
var paused = 0;

async Task<int> ApplyAsync(string path, string instId, CancellationToken cancellationToken)
{
    var inserted = await CandleRows.InsertAsync(path, instId, fromMs, minutes, $"{worker}-{instId}", cancellationToken);
    if (pause && Interlocked.Exchange(ref paused, 1) == 0)
    {
        Console.Out.WriteLine("LEASED");
        await Console.Out.FlushAsync(cancellationToken);
        await Console.In.ReadLineAsync(cancellationToken);
    }

    return inserted;
}

async Task MergeAsync(string instId)
{
    var inserted = await database.MergeAsync((path, ct) => ApplyAsync(path, instId, ct), CancellationToken.None);
    lock (symbols)
    {
        Console.Out.WriteLine($"MERGED {CandleRows.Describe(instId, fromMs, minutes)} {inserted}");
    }
}

try
{
    // Plan first, as a real worker does: a cold worker downloads the blob once (creating it when absent).
    var snapshot = await database.GetSnapshotPathAsync(CancellationToken.None);
    Console.Out.WriteLine($"SNAPSHOT {new FileInfo(snapshot).Length}");
    if (concurrent)
    {
        await Task.WhenAll(symbols.Select(s => Task.Run(() => MergeAsync(s))));
    }
    else
    {
        foreach (var symbol in symbols)
        {
            await MergeAsync(symbol);
        }
    }
}
catch (Exception ex)
{
    await Console.Error.WriteLineAsync($"FAILED {ex}");
    return 1;
}

Console.Out.WriteLine($"TOTALS {JsonSerializer.Serialize(database.Totals)}");
await Console.Out.FlushAsync();
return 0;
