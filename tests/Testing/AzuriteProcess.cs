using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Blofin.Backfill.Testing;

/// <summary>An Azurite started from the repository's node_modules on loopback ports, stopped on dispose.</summary>
internal sealed class AzuriteProcess : IAsyncDisposable
{
    // The well-known key of Azurite's (and the storage emulator's) development account.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const int MaxOutputChars = 16_000;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AzuriteProcess(Process process, string connectionString)
    {
        _process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public int ProcessId => _process.Id;

    public static Task<AzuriteProcess> StartAsync(CancellationToken cancellationToken) =>
        StartAsync(RepositoryRoot.Path, cancellationToken);

    /// <summary>Starts the Azurite installed under <paramref name="root"/>/node_modules.</summary>
    public static async Task<AzuriteProcess> StartAsync(string root, CancellationToken cancellationToken)
    {
        var executable = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed: '{executable}' does not exist. Run `npm ci` in '{root}' " +
                "(or run the tests with scripts/test.sh, or set AZURITE_CONNECTION_STRING to a running Azurite).");
        }

        var (blobPort, queuePort, tablePort) = FreePorts();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var argument in new[]
        {
            "--silent", "--skipApiVersionCheck", "--loose", "--inMemoryPersistence",
            "--blobHost", "127.0.0.1", "--blobPort", $"{blobPort}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{queuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{tablePort}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"'{executable}' did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Azurite could not be started from '{executable}' (is Node.js installed?): {ex.Message}", ex);
        }

        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
        var azurite = new AzuriteProcess(process, connectionString);
        process.OutputDataReceived += (_, e) => azurite.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => azurite.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await azurite.WaitUntilListeningAsync(blobPort, queuePort, cancellationToken);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Azurite ignores SIGTERM for a while; nothing it holds is worth a graceful stop.
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
    }

    private async Task WaitUntilListeningAsync(int blobPort, int queuePort, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Azurite exited with code {_process.ExitCode} before it listened. Its output:\n{Output()}");
            }

            if (await AcceptsAsync(blobPort, cancellationToken) && await AcceptsAsync(queuePort, cancellationToken))
            {
                return;
            }

            if (started.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException(
                    $"Azurite did not listen on 127.0.0.1:{blobPort} and :{queuePort} within {StartTimeout.TotalSeconds} s. Its output:\n{Output()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int Blob, int Queue, int Table) FreePorts()
    {
        // All three listeners are held at once so the ports differ; the OS may hand a port out again
        // between Stop and Azurite's bind, a race this accepts (the start then fails with the reason).
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            return (ports[0], ports[1], ports[2]);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < MaxOutputChars)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.Length == 0 ? "(none)" : _output.ToString();
        }
    }
}
