using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Blofin.Backfill.Soak;

/// <summary>One <c>blofin-backfill work --until-empty --verbose</c> process (a stand-in for one function instance),
/// its standard error kept, with events for the lines the soak acts on.</summary>
internal sealed partial class CliWorker : IAsyncDisposable
{
    /// <summary>The sync's log line when a merge has just taken the database lease (LeasedDatabaseFile, event 4001).</summary>
    public const string LeaseAcquiredMarker = "Acquired the lease on ";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private CliWorker(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>The built CLI of this test build's configuration.</summary>
    public static string CliAssembly { get; } = typeof(CliWorker).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "CliAssembly").Value!;

    /// <summary>e.g. <c>w2.1</c>: slot 2, its second process.</summary>
    public string Name { get; }

    public int ProcessId { get; private set; }

    /// <summary>Whether the soak SIGKILLed it.</summary>
    public bool Killed { get; private set; }

    public Task Exited => _exited.Task;

    /// <summary>Null while it runs.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Raised (on a thread-pool thread) for each standard-error line that reports a taken lease.</summary>
    public event Action<CliWorker>? LeaseAcquired;

    public static CliWorker Start(string name, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, Action<CliWorker>? onLeaseAcquired)
    {
        if (!File.Exists(CliAssembly))
        {
            throw new InvalidOperationException($"The CLI is not built at '{CliAssembly}'; build the solution (or tests/Soak.Tests, which builds it) first.");
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new CliWorker(process, name);
        worker.LeaseAcquired += onLeaseAcquired;
        process.OutputDataReceived += (_, e) => worker.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => worker.OnError(e.Data);
        process.Exited += (_, _) => worker.OnExited();
        process.Start();
        worker.ProcessId = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>SIGKILL, as a crash or a scale-in would: no finally block of the worker runs.</summary>
    /// <remarks>The worker starts no processes, so only it is killed: a tree walk reads every process's parent ID,
    /// and with PIDs recycled fast on a busy machine it could reach a stranger's process.</remarks>
    public void Kill()
    {
        Killed = true;
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It exited on its own just before.
        }
    }

    /// <summary>Standard-error lines containing <paramref name="text"/>.</summary>
    public int CountLines(string text)
    {
        lock (_lock)
        {
            return _errors.ToString().Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>The durations the sync logged for its merge cycles ("Cycle merged ... and N ms").</summary>
    public IReadOnlyList<long> CycleDurationsMs()
    {
        lock (_lock)
        {
            return [.. _errors.ToString().Split('\n')
                .Where(line => line.Contains("Cycle merged ", StringComparison.Ordinal))
                .Select(line => CycleDuration().Match(line))
                .Where(match => match.Success)
                .Select(match => long.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture))];
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of both streams, for a failure message.</summary>
    public string Tail(int lines = 40)
    {
        lock (_lock)
        {
            var errors = _errors.ToString().Split('\n');
            var output = _output.ToString().Split('\n');
            return $"--- {Name} (pid {ProcessId}, exit {ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "running"}{(Killed ? ", killed" : "")}) stdout:\n"
                + string.Join('\n', output.TakeLast(lines)) + $"\n--- {Name} stderr:\n" + string.Join('\n', errors.TakeLast(lines));
        }
    }

    /// <summary>Both streams in full, for the soak's log folder.</summary>
    public string FullLog()
    {
        lock (_lock)
        {
            return $"--- stdout\n{_output}\n--- stderr\n{_errors}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (ExitCode is null)
        {
            Kill();
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // A process that does not die from SIGKILL within 10 s is left to the OS; the test already failed.
        }

        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" and (\d+) ms$")]
    private static partial System.Text.RegularExpressions.Regex CycleDuration();

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
        }
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _errors.AppendLine(line);
        }

        if (line.Contains(LeaseAcquiredMarker, StringComparison.Ordinal))
        {
            LeaseAcquired?.Invoke(this);
        }
    }

    private void OnExited()
    {
        // The exit event can come before the last redirected lines; WaitForExit() without a timeout drains them.
        _process.WaitForExit();
        ExitCode = _process.ExitCode;
        _exited.TrySetResult();
    }
}
