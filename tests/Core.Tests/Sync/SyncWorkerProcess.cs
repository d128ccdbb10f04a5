using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Blofin.Backfill.Sync;

/// <summary>One tests/SyncWorker process (a stand-in for one function instance), its output parsed.</summary>
internal sealed class SyncWorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _errors = new();
    private readonly TaskCompletionSource _leased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _name;

    private SyncWorkerProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    /// <summary>Completes when the worker printed LEASED (started with <c>pause</c>: it holds the lease and waits).</summary>
    public Task Leased => _leased.Task;

    public static SyncWorkerProcess Start(
        string name,
        string connectionString,
        string container,
        string cacheDirectory,
        IEnumerable<string> symbols,
        long fromMs,
        int minutes,
        bool concurrent = false,
        bool pause = false,
        int leaseSeconds = 15)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Blofin.Backfill.SyncWorker.dll"));
        start.ArgumentList.Add("--symbols");
        start.ArgumentList.Add(string.Join(',', symbols));
        start.ArgumentList.Add("--from");
        start.ArgumentList.Add(fromMs.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--minutes");
        start.ArgumentList.Add(minutes.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Backfill:Container"] = container,
            ["Backfill:CacheDirectory"] = cacheDirectory,
            ["Backfill:LeaseDuration"] = TimeSpan.FromSeconds(leaseSeconds).ToString("c", CultureInfo.InvariantCulture),
            ["Backfill:LeaseAcquireTimeout"] = "00:02:00",
            ["Backfill:LeaseRetryDelay"] = "00:00:00.050",
            ["Backfill:LeaseRetryMaxDelay"] = "00:00:00.500",
        })
        {
            start.ArgumentList.Add("--setting");
            start.ArgumentList.Add($"{key}={value}");
        }

        if (concurrent)
        {
            start.ArgumentList.Add("--concurrent");
        }

        if (pause)
        {
            start.ArgumentList.Add("--pause");
        }

        // Like a function instance, the worker finds its storage in the environment.
        start.Environment["AzureWebJobsStorage"] = connectionString;
        var process = new Process { StartInfo = start };
        var worker = new SyncWorkerProcess(process, name);
        process.OutputDataReceived += (_, e) => worker.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => worker.OnError(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits for the worker to exit and returns its exit code; kills it when it overruns.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw new TimeoutException($"Worker {_name} did not finish within {timeout}.\n{Diagnostics}");
        }

        // The exit event can come before the last redirected lines; WaitForExit() without a timeout drains them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, as a crash or a scale-in would: no finally block of the worker runs.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Every (symbol, minute) of every merge the worker reported as done.</summary>
    public IReadOnlyList<(string InstId, long Ts)> MergedKeys()
    {
        var keys = new List<(string, long)>();
        foreach (var line in Lines().Where(l => l.StartsWith("MERGED ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ');
            var from = long.Parse(parts[2], CultureInfo.InvariantCulture);
            var minutes = int.Parse(parts[3], CultureInfo.InvariantCulture);
            keys.AddRange(SyncTestFiles.Keys(parts[1], from, minutes));
        }

        return keys;
    }

    public int MergedCount => Lines().Count(l => l.StartsWith("MERGED ", StringComparison.Ordinal));

    /// <summary>The totals the worker printed when it finished.</summary>
    public DatabaseSyncTotals Totals()
    {
        var line = Lines().LastOrDefault(l => l.StartsWith("TOTALS ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Worker {_name} printed no totals.\n{Diagnostics}");
        return JsonSerializer.Deserialize<DatabaseSyncTotals>(line["TOTALS ".Length..])!;
    }

    public string Diagnostics
    {
        get
        {
            lock (_lines)
            {
                return $"--- {_name} stdout:\n{string.Join('\n', _lines)}\n--- {_name} stderr:\n{_errors}";
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private List<string> Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        if (line == "LEASED")
        {
            _leased.TrySetResult();
        }
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _errors.AppendLine(line);
        }
    }
}
