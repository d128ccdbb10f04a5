using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Blofin.Backfill.Bench;

/// <summary>The storage the workers use: the Azurite named by <c>AZURITE_CONNECTION_STRING</c>, or one started here
/// from the repository's node_modules (in memory, on free loopback ports) and killed on dispose.</summary>
internal sealed class AzuriteServer : IAsyncDisposable
{
    public const string ConnectionStringVariable = "AZURITE_CONNECTION_STRING";

    // The well-known key of Azurite's development account.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process? _process;
    private readonly StringBuilder _output = new();

    private AzuriteServer(string connectionString, Process? process)
    {
        ConnectionString = connectionString;
        _process = process;
    }

    public string ConnectionString { get; }

    /// <summary>The CPU time of the Azurite this bench started; null for one it did not start.</summary>
    public TimeSpan? CpuTime
    {
        get
        {
            if (_process is null || _process.HasExited)
            {
                return null;
            }

            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Where the connection string came from, for the report.</summary>
    public string Source => _process is null ? ConnectionStringVariable : "started by the bench (in memory)";

    public static async Task<AzuriteServer> StartAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new AzuriteServer(fromEnvironment, null);
        }

        var executable = Path.Combine(repositoryRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed: '{executable}' does not exist. Run `npm ci` in '{repositoryRoot}' or set {ConnectionStringVariable}.");
        }

        var ports = FreePorts(3);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryRoot,
        };
        foreach (var argument in new[]
        {
            "--silent", "--skipApiVersionCheck", "--loose", "--inMemoryPersistence",
            "--blobHost", "127.0.0.1", "--blobPort", $"{ports[0]}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{ports[1]}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{ports[2]}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"'{executable}' did not start.");
        var server = new AzuriteServer(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{ports[0]}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{ports[1]}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{ports[2]}/devstoreaccount1;",
            process);
        process.OutputDataReceived += (_, e) => server.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => server.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var started = Stopwatch.StartNew();
            while (!await AcceptsAsync(ports[0], cancellationToken) || !await AcceptsAsync(ports[1], cancellationToken))
            {
                if (process.HasExited || started.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{ports[0]}. Its output:\n{server._output}");
                }

                await Task.Delay(100, cancellationToken);
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            // Azurite ignores SIGTERM for a while; nothing it holds is worth a graceful stop.
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
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

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
