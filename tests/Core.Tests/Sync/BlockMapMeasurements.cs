using System.Globalization;
using Blofin.Backfill.Testing;
using Microsoft.Data.Sqlite;
using static Blofin.Backfill.Sync.CandleHistory;

namespace Blofin.Backfill.Sync;

/// <summary>What a tick costs with and without the block map, at 1, 4 and 8 weeks of 32 symbols, measured on the wire
/// (a proxy counts the body bytes of every request and response to Azurite). Explicit: it builds databases of up to
/// 250 MB and takes minutes; run it against an Azurite on disk (AZURITE_CONNECTION_STRING; the in-memory one the
/// fixture starts may run out of memory at 8 weeks) with <c>dotnet test tests/Core.Tests --filter
/// "FullyQualifiedName~BlockMapMeasurements" -- xUnit.Explicit=only</c> and read the rows in the test output
/// (docs/OPERATIONS.md quotes them).</summary>
public sealed class BlockMapMeasurements(AzuriteFixture azurite)
{
    private const int SymbolCount = 32;
    private const int Tick = 30;
    private const int TicksPerWeek = MinutesPerWeek / Tick;

    /// <summary>The table's header; each case prints its row under it.</summary>
    public const string Header = """
        | history | blocks | rows | file bytes | bytes/row | pages changed by the tick | one-cycle tick: up (staged + list) | stale refresh: down (blocks + list) | 32 one-symbol cycles: up in all, per merge, lease time per merge | cold tick: down + up | without the map: up per merge, down per refresh |
        |---|---|---|---|---|---|---|---|---|---|---|
        """;

    [Theory(Explicit = true)]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    [InlineData(8, false)]
    [InlineData(8, true)]
    public async Task Measure_SteadyTick_PrintsBytesPerTickWithAndWithoutTheMap(int weeks, bool fixed64KiB)
    {
        var policy = fixed64KiB ? new BlockSizePolicy(65536, 32_768, FixedSize: true) : BlockSizePolicy.Default;

        var row = await MeasureAsync(weeks, policy, TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(Header + Environment.NewLine + row);
        Assert.StartsWith("|", row, StringComparison.Ordinal);
    }

    private async Task<string> MeasureAsync(int weeks, BlockSizePolicy policy, CancellationToken ct)
    {
        var output = TestContext.Current.TestOutputHelper!;
        var symbols = Symbols(SymbolCount);
        using var folder = TempDirectory.Create();
        await using var container = await azurite.ReserveContainerAsync(ct);
        var (proxy, proxied) = await StorageProxy.StartAsync(await azurite.GetConnectionStringAsync(ct), ct);
        await using var proxyScope = proxy;

        // The file as the timer grows it: a first backfill of the week (10,081 minutes per symbol), then ticks.
        var prepared = folder.Combine("prepared.sqlite");
        await InsertAsync(prepared, symbols, StartMs, MinutesPerWeek + 1, ct);
        var nextMs = StartMs + ((MinutesPerWeek + 1) * MinuteMs);
        await GrowAsync(prepared, symbols, nextMs, (weeks - 1) * TicksPerWeek, Tick, ct);
        nextMs += (weeks - 1) * TicksPerWeek * Tick * MinuteMs;
        Assert.Null(await SqliteDatabaseFile.FinishAsync(prepared, ct));
        var rows = await CountRowsAsync(prepared, ct);
        output.WriteLine($"{weeks} weeks: {rows:N0} rows, {new FileInfo(prepared).Length:N0} bytes");

        await using var writer = SyncTestFiles.Create(proxied, container.Name, folder.Combine("writer"));
        await using var stale = SyncTestFiles.Create(proxied, container.Name, folder.Combine("stale"));
        await using var cold = SyncTestFiles.Create(proxied, container.Name, folder.Combine("cold"));
        writer.BlockSizes = stale.BlockSizes = cold.BlockSizes = policy;
        await writer.MergeAsync((path, _) => { File.Copy(prepared, path, overwrite: true); return Task.FromResult(0); }, ct);
        await stale.GetSnapshotPathAsync(ct);

        // One tick, all 32 symbols in one lease cycle (one instance, group commit).
        var before = folder.Combine("before.sqlite");
        File.Copy(await writer.GetSnapshotPathAsync(ct), before);
        proxy.ResetTraffic();
        var tick = await writer.MergeWithTransferAsync((path, token) => TickAsync(path, symbols, nextMs, Tick, token), ct);
        nextMs += Tick * MinuteMs;
        var tickDuration = writer.LastCycle!.Duration;
        var tickWire = proxy.Traffic;
        var pages = await CountChangedPagesAsync(before, await writer.GetSnapshotPathAsync(ct), 4096, ct);

        // A worker holding the version before that tick merges (nothing of its own): it refreshes.
        proxy.ResetTraffic();
        var refresh = await stale.MergeWithTransferAsync((path, token) => Task.FromResult(0), ct);
        var refreshWire = proxy.Traffic;

        // The next tick as 32 merges of one symbol each, one cycle each (instances that do not share a cycle).
        proxy.ResetTraffic();
        long separateUp = 0;
        var leaseTime = TimeSpan.Zero;
        foreach (var symbol in symbols)
        {
            var merged = await writer.MergeWithTransferAsync((path, token) => TickAsync(path, [symbol], nextMs, Tick, token), ct);
            separateUp += merged.Transfer.BytesUploaded;
            leaseTime += writer.LastCycle!.Duration;
        }

        nextMs += Tick * MinuteMs;
        var separateWire = proxy.Traffic;

        // A cold instance (scale from zero) takes the next tick of one symbol: a whole download, then a delta upload.
        proxy.ResetTraffic();
        var coldTick = await cold.MergeWithTransferAsync((path, token) => TickAsync(path, [symbols[0]], nextMs, Tick, token), ct);
        var coldWire = proxy.Traffic;

        var fileBytes = tick.Transfer.FileBytes;
        output.WriteLine($"  {policy}: tick {tick.Transfer}, {tickDuration}; wire {Describe(tickWire)}");
        output.WriteLine($"  refresh {refresh.Transfer}; wire {Describe(refreshWire)}");
        output.WriteLine($"  32 separate: staged {separateUp:N0}, lease time {leaseTime}; wire {Describe(separateWire)}");
        output.WriteLine($"  cold {coldTick.Transfer}; wire {Describe(coldWire)}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {weeks} week{(weeks > 1 ? "s" : string.Empty)} | {policy.ChooseFor(tick.Transfer.FileBytes) / 1024} KiB{(policy.FixedSize ? " fixed" : " (√F)")} | {rows:N0} | {fileBytes:N0} | {(double)fileBytes / rows:0.0} | {pages:N0} of {fileBytes / 4096:N0} | "
            + $"{Kb(tick.Transfer.BytesUploaded)} + {Kb(Sent(tickWire, "Put Block List"))} ({tick.Transfer.BlocksStaged} blocks) | "
            + $"{Kb(refresh.Transfer.BytesDownloaded)} + {Kb(Received(refreshWire, "Get Block List"))} | "
            + $"{Kb(Sent(separateWire, "Put Block") + Sent(separateWire, "Put Block List"))}, {Kb((Sent(separateWire, "Put Block") + Sent(separateWire, "Put Block List")) / SymbolCount)}, {leaseTime.TotalSeconds / SymbolCount:0.0} s | "
            + $"{Kb(Received(coldWire, "Get Blob (range)") + Received(coldWire, "Get Block List"))} + {Kb(Sent(coldWire, "Put Block") + Sent(coldWire, "Put Block List"))} | "
            + $"{Kb(fileBytes)}, {Kb(fileBytes)} |");
    }

    private static long Sent(IReadOnlyDictionary<string, (long Requests, long Sent, long Received)> wire, string operation) =>
        wire.GetValueOrDefault(operation).Sent;

    private static long Received(IReadOnlyDictionary<string, (long Requests, long Sent, long Received)> wire, string operation) =>
        wire.GetValueOrDefault(operation).Received;

    private static string Kb(long bytes) => bytes >= 10_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_000_000.0:0} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1000.0:0} kB");

    private static string Describe(IReadOnlyDictionary<string, (long Requests, long Sent, long Received)> wire) =>
        string.Join("; ", wire.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value.Requests} requests, sent {kv.Value.Sent:N0}, received {kv.Value.Received:N0}"));

    private static async Task<long> CountRowsAsync(string path, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(ct);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM candles;";
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }

    private static async Task<int> CountChangedPagesAsync(string before, string after, int pageSize, CancellationToken ct)
    {
        var a = await File.ReadAllBytesAsync(before, ct);
        var b = await File.ReadAllBytesAsync(after, ct);
        var changed = 0;
        for (var offset = 0; offset < Math.Max(a.Length, b.Length); offset += pageSize)
        {
            var pa = offset < a.Length ? a.AsSpan(offset, Math.Min(pageSize, a.Length - offset)) : [];
            var pb = offset < b.Length ? b.AsSpan(offset, Math.Min(pageSize, b.Length - offset)) : [];
            if (!pa.SequenceEqual(pb))
            {
                changed++;
            }
        }

        return changed;
    }
}
