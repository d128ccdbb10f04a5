using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Blofin.Backfill.FunctionsHost.Rpc;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.FunctionsHost;

/// <summary>A minimal Azure Functions host for tests: serves the worker gRPC protocol on loopback,
/// starts an isolated-worker app's build output as the host does, indexes and loads its functions,
/// and invokes them with the payloads the host sends. No queue polling, schedules or host.json:
/// the test decides what runs and when.</summary>
public sealed class FunctionsTestHost : IAsyncDisposable
{
    private const string HostVersion = "4.1000.0.0-blofin-test";
    private static readonly CompositeFormat TimeoutFormat = CompositeFormat.Parse("The worker did not {0} within {1:0.#} s.");

    private readonly FunctionsTestHostOptions _options;
    private readonly WebApplication _server;
    private readonly WorkerConnection _connection;
    private readonly WorkerProcess _process;
    private readonly Dictionary<string, FunctionDescription> _functions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _stopLock = new();
    private Task<int>? _stopping;

    private FunctionsTestHost(FunctionsTestHostOptions options, WebApplication server, WorkerConnection connection, WorkerProcess process)
    {
        _options = options;
        _server = server;
        _connection = connection;
        _process = process;
    }

    /// <summary>The functions the worker reported and loaded, in the order it reported them.</summary>
    public IReadOnlyList<FunctionDescription> Functions { get; private set; } = [];

    /// <summary>The worker's version and capabilities from its WorkerInitResponse.</summary>
    public string WorkerVersion { get; private set; } = string.Empty;

    public IReadOnlyDictionary<string, string> WorkerCapabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>Every RpcLog the worker has sent so far, in order.</summary>
    public IReadOnlyList<WorkerLog> Logs => _connection.Logs;

    public string StandardOutput => _process.StandardOutput;

    public string StandardError => _process.StandardError;

    public int ProcessId => _process.Id;

    /// <summary>The worker outlived the grace period after WorkerTerminate and was killed.</summary>
    public bool WasKilled { get; private set; }

    /// <summary>Starts the app in <paramref name="appDirectory"/> with these app settings and waits
    /// until every function it reports has loaded.</summary>
    public static Task<FunctionsTestHost> StartAsync(string appDirectory, IReadOnlyDictionary<string, string?>? environment, CancellationToken cancellationToken)
    {
        var options = new FunctionsTestHostOptions { AppDirectory = appDirectory };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            options.Environment[name] = value;
        }

        return StartAsync(options, cancellationToken);
    }

    /// <summary>Starts the app and waits until every function it reports has loaded. Throws
    /// <see cref="FunctionsHostException"/> naming the step if the worker exits, fails or is silent.</summary>
    public static async Task<FunctionsTestHost> StartAsync(FunctionsTestHostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var appDirectory = Path.GetFullPath(options.AppDirectory);
        var workerPath = ReadWorkerPath(appDirectory);

        var connection = new WorkerConnection();
        var server = await StartServerAsync(connection, cancellationToken);
        WorkerProcess? process = null;
        try
        {
            var uri = ServerUri(server);
            var workerId = Guid.NewGuid().ToString();
            var requestId = Guid.NewGuid().ToString();
            var arguments = new[]
            {
                // The host passes both the current switches and the legacy ones (ignored since worker 2.x).
                "--host", uri.Host, "--port", uri.Port.ToString(CultureInfo.InvariantCulture),
                "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", "2147483647",
                "--functions-uri", uri.AbsoluteUri, "--functions-worker-id", workerId,
                "--functions-request-id", requestId, "--functions-grpc-max-message-length", "2147483647",
            };
            var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory,
                ["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory,
            };
            foreach (var (name, value) in options.Environment)
            {
                environment[name] = value;
            }

            process = WorkerProcess.Start(appDirectory, workerPath, arguments, environment);
            var host = new FunctionsTestHost(options, server, connection, process);
            try
            {
                await host.HandshakeAsync(appDirectory, cancellationToken);
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }

            return host;
        }
        catch when (process is null)
        {
            await StopServerAsync(server);
            throw;
        }
    }

    /// <summary>The loaded function of that name; throws naming the ones there are.</summary>
    public FunctionDescription GetFunction(string functionName) =>
        _functions.TryGetValue(functionName, out var function)
            ? function
            : throw new ArgumentException(
                $"The worker reported no function '{functionName}'; it reported: {string.Join(", ", Functions.Select(f => f.Name))}.",
                nameof(functionName));

    /// <summary>Invokes a queue-triggered function with a message as the host does after decoding it
    /// (so with <c>messageEncoding</c> <c>none</c>, the text as it sits in the queue): the body as
    /// the trigger parameter's string, and the queue trigger's metadata.</summary>
    public Task<InvocationResult> InvokeQueueAsync(string functionName, string messageText, long dequeueCount = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        var trigger = TriggerOf(functionName, "queueTrigger");
        var now = _options.TimeProvider.GetUtcNow();
        var inputs = new Dictionary<string, TypedValue>(StringComparer.Ordinal)
        {
            [trigger.Name] = TypedValue.Text(messageText),
        };

        // As the host sends the queue trigger's binding data: strings as strings, the rest as JSON.
        var metadata = new Dictionary<string, TypedValue>(StringComparer.Ordinal)
        {
            ["QueueTrigger"] = TypedValue.Text(messageText),
            ["DequeueCount"] = TypedValue.Json(dequeueCount.ToString(CultureInfo.InvariantCulture)),
            ["Id"] = TypedValue.Text(Guid.NewGuid().ToString()),
            ["PopReceipt"] = TypedValue.Text(Convert.ToBase64String(Guid.NewGuid().ToByteArray())),
            ["InsertionTime"] = JsonTime(now),
            ["ExpirationTime"] = JsonTime(now.AddDays(7)),
            ["NextVisibleTime"] = JsonTime(now.AddMinutes(10)),
        };
        return InvokeAsync(functionName, inputs, metadata, cancellationToken);
    }

    /// <summary>Invokes a timer-triggered function with the TimerInfo JSON the host sends.</summary>
    public Task<InvocationResult> InvokeTimerAsync(string functionName, bool isPastDue = false, CancellationToken cancellationToken = default)
    {
        var trigger = TriggerOf(functionName, "timerTrigger");
        var now = _options.TimeProvider.GetUtcNow();
        var timerInfo = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = now.AddMinutes(-30), Next = now.AddMinutes(30), LastUpdated = now.AddMinutes(-30) },
            IsPastDue = isPastDue,
        });
        var inputs = new Dictionary<string, TypedValue>(StringComparer.Ordinal) { [trigger.Name] = TypedValue.Json(timerInfo) };
        var metadata = new Dictionary<string, TypedValue>(StringComparer.Ordinal)
        {
            ["TimerTrigger"] = TypedValue.Text(now.ToLocalTime().DateTime.ToString(CultureInfo.InvariantCulture)),
        };
        return InvokeAsync(functionName, inputs, metadata, cancellationToken);
    }

    /// <summary>Invokes a function with the given input data (by parameter or binding name) and
    /// trigger metadata, with a fresh invocation ID and a trace context.</summary>
    public async Task<InvocationResult> InvokeAsync(
        string functionName,
        IReadOnlyDictionary<string, TypedValue> inputData,
        IReadOnlyDictionary<string, TypedValue> triggerMetadata,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputData);
        ArgumentNullException.ThrowIfNull(triggerMetadata);
        var function = GetFunction(functionName);
        var invocationId = Guid.NewGuid().ToString();
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            // The worker dereferences the trace context unconditionally: always send one.
            TraceContext = new RpcTraceContext
            {
                TraceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01",
                TraceState = string.Empty,
            },
        };
        foreach (var (name, value) in inputData)
        {
            request.InputData.Add(new ParameterBinding { Name = name, Data = RpcMapping.ToTypedData(value) });
        }

        foreach (var (name, value) in triggerMetadata)
        {
            request.TriggerMetadata[name] = RpcMapping.ToTypedData(value);
        }

        var started = Stopwatch.GetTimestamp();
        var response = await WaitAsync(
            _connection.SendAsync(new StreamingMessage { RequestId = NewRequestId(), InvocationRequest = request }, WorkerConnection.InvocationKey(invocationId)),
            _options.InvocationTimeout,
            FunctionsHostStep.Invocation,
            $"answer invocation {invocationId} of {function.Name}",
            cancellationToken);
        var duration = Stopwatch.GetElapsedTime(started);
        var answer = response.InvocationResponse;
        var outputs = new Dictionary<string, TypedValue>(StringComparer.Ordinal);
        foreach (var binding in answer.OutputData)
        {
            if (RpcMapping.ToTypedValue(binding.Data) is { } value)
            {
                outputs[binding.Name] = value;
            }
        }

        return new InvocationResult(
            invocationId,
            function.Name,
            (InvocationStatus)(answer.Result?.Status ?? StatusResult.Types.Status.Failure),
            RpcMapping.ToError(answer.Result?.Exception),
            RpcMapping.ToTypedValue(answer.ReturnValue),
            outputs,
            _connection.LogsOf(invocationId),
            duration);
    }

    /// <summary>Sends WorkerTerminate with the grace period, waits for the worker to exit, kills it if
    /// it outlives the grace period (<see cref="WasKilled"/>), and returns its exit code.</summary>
    public Task<int> StopAsync()
    {
        lock (_stopLock)
        {
            return _stopping ??= StopCoreAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _process.Dispose();
            await StopServerAsync(_server);
        }
    }

    private async Task<int> StopCoreAsync()
    {
        if (!_process.HasExited)
        {
            if (_connection.Started.IsCompletedSuccessfully && !_connection.Closed.IsCompleted)
            {
                _connection.Send(new StreamingMessage
                {
                    RequestId = NewRequestId(),
                    WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(_options.GracePeriod) },
                });
            }
            else
            {
                // Nobody to tell: a worker that never connected (or already hung up) cannot hear WorkerTerminate.
                _process.Kill();
                WasKilled = true;
            }

            using var grace = new CancellationTokenSource(_options.GracePeriod);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                WasKilled = true;
            }
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        return _process.ExitCode ?? -1;
    }

    private async Task HandshakeAsync(string appDirectory, CancellationToken cancellationToken)
    {
        await WaitAsync(_connection.Started, _options.StartTimeout, FunctionsHostStep.StartStream, "send StartStream", cancellationToken);

        var init = await WaitAsync(
            _connection.SendAsync(
                new StreamingMessage
                {
                    RequestId = NewRequestId(),
                    WorkerInitRequest = new WorkerInitRequest
                    {
                        HostVersion = HostVersion,
                        WorkerDirectory = appDirectory,
                        FunctionAppDirectory = appDirectory,
                    },
                },
                "init"),
            _options.RequestTimeout,
            FunctionsHostStep.WorkerInit,
            "answer WorkerInitRequest",
            cancellationToken);
        EnsureSuccess(init.WorkerInitResponse.Result, FunctionsHostStep.WorkerInit, "WorkerInitRequest");
        WorkerVersion = init.WorkerInitResponse.WorkerVersion;
        WorkerCapabilities = new Dictionary<string, string>(init.WorkerInitResponse.Capabilities, StringComparer.Ordinal);

        var metadata = await WaitAsync(
            _connection.SendAsync(
                new StreamingMessage
                {
                    RequestId = NewRequestId(),
                    FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory },
                },
                "metadata"),
            _options.RequestTimeout,
            FunctionsHostStep.FunctionsMetadata,
            "answer FunctionsMetadataRequest",
            cancellationToken);
        var reported = metadata.FunctionMetadataResponse;
        EnsureSuccess(reported.Result, FunctionsHostStep.FunctionsMetadata, "FunctionsMetadataRequest");
        if (reported.UseDefaultMetadataIndexing)
        {
            throw Failure(FunctionsHostStep.FunctionsMetadata, "The worker asked the host to index functions.metadata itself (use_default_metadata_indexing); this test host only supports worker indexing.");
        }

        var loads = new List<Task<StreamingMessage>>();
        foreach (var function in reported.FunctionMetadataResults)
        {
            loads.Add(_connection.SendAsync(
                new StreamingMessage
                {
                    RequestId = NewRequestId(),
                    FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function },
                },
                WorkerConnection.LoadKey(function.FunctionId)));
        }

        var loaded = await WaitAsync(Task.WhenAll(loads), _options.RequestTimeout, FunctionsHostStep.FunctionLoad, $"answer all {loads.Count} FunctionLoadRequests", cancellationToken);
        for (var i = 0; i < loaded.Length; i++)
        {
            EnsureSuccess(loaded[i].FunctionLoadResponse.Result, FunctionsHostStep.FunctionLoad, $"FunctionLoadRequest of {reported.FunctionMetadataResults[i].Name}");
        }

        Functions = [.. reported.FunctionMetadataResults.Select(RpcMapping.ToFunctionDescription)];
        foreach (var function in Functions)
        {
            _functions[function.Name] = function;
        }
    }

    private FunctionBinding TriggerOf(string functionName, string triggerType)
    {
        var function = GetFunction(functionName);
        var trigger = function.Trigger;
        return trigger is not null && string.Equals(trigger.Type, triggerType, StringComparison.OrdinalIgnoreCase)
            ? trigger
            : throw new ArgumentException($"{function.Name} is triggered by {trigger?.Type ?? "nothing"}, not {triggerType}.", nameof(functionName));
    }

    /// <summary>Waits for a step, and fails it as soon as the worker exits or hangs up, or when the
    /// step's time is up, with the worker's stderr and error logs in the message.</summary>
    private async Task<T> WaitAsync<T>(Task<T> step, TimeSpan timeout, FunctionsHostStep stepName, string what, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exited = _process.WaitForExitAsync(stop.Token);
        var timedOut = Task.Delay(timeout, stop.Token);
        var first = await Task.WhenAny(step, exited, timedOut);
        await stop.CancelAsync();
        if (first == step && step.IsCompletedSuccessfully)
        {
            return await step;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (first == timedOut)
        {
            throw Failure(stepName, string.Format(CultureInfo.InvariantCulture, TimeoutFormat, what, timeout.TotalSeconds));
        }

        // Exited or hung up: a hang-up is usually the process dying, so give its exit code a moment to show.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            throw Failure(stepName, $"The worker closed the stream before it would {what}.", step.Exception?.GetBaseException());
        }

        throw Failure(stepName, $"The worker exited with code {_process.ExitCode} before it would {what}.");
    }

    private void EnsureSuccess(StatusResult? result, FunctionsHostStep step, string request)
    {
        if (result?.Status == StatusResult.Types.Status.Success)
        {
            return;
        }

        var error = RpcMapping.ToError(result?.Exception);
        throw Failure(step, $"The worker answered {request} with {result?.Status.ToString() ?? "no result"}: {error?.ToString() ?? result?.Result}");
    }

    private FunctionsHostException Failure(FunctionsHostStep step, string message, Exception? cause = null)
    {
        var logs = _connection.Logs;
        var text = new StringBuilder(message);
        if (cause is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({cause.Message})");
        }

        var stderr = _process.StandardError;
        text.Append(stderr.Length == 0 ? "\nIts stderr is empty." : $"\nIts stderr:\n{Tail(stderr)}");
        var problems = logs.Where(l => l.Level >= LogLevel.Warning).ToList();
        if (problems.Count > 0)
        {
            text.Append("\nIts warning and error logs:\n").AppendJoin('\n', problems.TakeLast(20));
        }

        return new FunctionsHostException(text.ToString(), step, _process.ExitCode, _process.StandardOutput, stderr, logs);
    }

    private static string Tail(string text) => text.Length <= 8000 ? text : "..." + text[^8000..];

    private static TypedValue JsonTime(DateTimeOffset time) => TypedValue.Json(JsonSerializer.Serialize(time));

    private static string NewRequestId() => Guid.NewGuid().ToString();

    /// <summary>The app's entry assembly, as the host finds it: worker.config.json's defaultWorkerPath.</summary>
    private static string ReadWorkerPath(string appDirectory)
    {
        var configPath = Path.Combine(appDirectory, "worker.config.json");
        if (!File.Exists(configPath))
        {
            throw new FunctionsHostException($"{configPath} does not exist: {appDirectory} is not the build output of an isolated-worker Functions app (or it was not built).");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(configPath));
        var workerPath = document.RootElement.GetProperty("description").GetProperty("defaultWorkerPath").GetString();
        return string.IsNullOrEmpty(workerPath)
            ? throw new FunctionsHostException($"{configPath} names no defaultWorkerPath.")
            : Path.Combine(appDirectory, workerPath);
    }

    private static async Task<WebApplication> StartServerAsync(WorkerConnection connection, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        // HTTP/2 only, cleartext, as the host listens: with HTTP/1.1 allowed too the worker's channel fails.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
            grpc.EnableDetailedErrors = true;
        });
        builder.Services.AddSingleton(connection);
        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync(cancellationToken);
        return app;
    }

    private static Uri ServerUri(WebApplication server)
    {
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Uri(new Uri(address).GetLeftPart(UriPartial.Authority) + "/");
    }

    private static async Task StopServerAsync(WebApplication server)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await server.StopAsync(timeout.Token);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
