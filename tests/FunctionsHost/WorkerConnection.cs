using System.Collections.Concurrent;
using System.Threading.Channels;
using Blofin.Backfill.FunctionsHost.Rpc;

namespace Blofin.Backfill.FunctionsHost;

/// <summary>The host's end of the one event stream: queues what the host sends, matches the
/// worker's responses to the requests that wait for them (they may come out of order), and keeps
/// every RpcLog.</summary>
internal sealed class WorkerConnection
{
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<StartStream> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<WorkerLog> _logs = [];
    private readonly Lock _logsLock = new();
    private int _attached;

    /// <summary>Completes with the worker's StartStream.</summary>
    public Task<StartStream> Started => _started.Task;

    /// <summary>Completes when the stream ends, with the error that ended it if any.</summary>
    public Task<Exception?> Closed => _closed.Task;

    public ChannelReader<StreamingMessage> Outbound => _outbound.Reader;

    public IReadOnlyList<WorkerLog> Logs
    {
        get
        {
            lock (_logsLock)
            {
                return [.. _logs];
            }
        }
    }

    /// <summary>Claims the connection for a stream; only the first worker to connect gets it.</summary>
    public bool TryAttach() => Interlocked.Exchange(ref _attached, 1) == 0;

    public IReadOnlyList<WorkerLog> LogsOf(string invocationId)
    {
        lock (_logsLock)
        {
            return [.. _logs.Where(l => l.InvocationId == invocationId)];
        }
    }

    /// <summary>Sends a request and returns the task of the response with the given key (see
    /// <see cref="KeyOf"/>); the task fails if the stream closes first.</summary>
    public Task<StreamingMessage> SendAsync(StreamingMessage request, string responseKey)
    {
        var response = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(responseKey, response))
        {
            throw new InvalidOperationException($"A request waiting for '{responseKey}' is already pending.");
        }

        if (_closed.Task.IsCompleted)
        {
            _pending.TryRemove(responseKey, out _);
            response.TrySetException(new IOException("The worker's stream is closed."));
            return response.Task;
        }

        Send(request);
        return response.Task;
    }

    /// <summary>Sends a message no response is expected to.</summary>
    public void Send(StreamingMessage message) => _outbound.Writer.TryWrite(message);

    public void Receive(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                _started.TrySetResult(message.StartStream);
                return;
            case StreamingMessage.ContentOneofCase.RpcLog:
                var log = RpcMapping.ToWorkerLog(message.RpcLog);
                lock (_logsLock)
                {
                    _logs.Add(log);
                }

                return;
            default:
                var key = KeyOf(message);
                if (key is not null && _pending.TryRemove(key, out var waiting))
                {
                    waiting.TrySetResult(message);
                }

                // Anything else (worker status, the empty answer to WorkerTerminate, a response nobody
                // waits for any more) is dropped, as the host drops what it does not handle.
                return;
        }
    }

    /// <summary>The stream ended: every waiting request fails, and so does every later one.</summary>
    public void Close(Exception? error)
    {
        _closed.TrySetResult(error);
        _outbound.Writer.TryComplete();
        _started.TrySetException(new IOException("The worker's stream closed before StartStream.", error));
        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var waiting))
            {
                waiting.TrySetException(new IOException("The worker's stream closed before the response.", error));
            }
        }
    }

    /// <summary>The key a response is matched by: its kind, and the function or invocation it is for.</summary>
    public static string? KeyOf(StreamingMessage message) => message.ContentCase switch
    {
        StreamingMessage.ContentOneofCase.WorkerInitResponse => "init",
        StreamingMessage.ContentOneofCase.FunctionMetadataResponse => "metadata",
        StreamingMessage.ContentOneofCase.FunctionLoadResponse => LoadKey(message.FunctionLoadResponse.FunctionId),
        StreamingMessage.ContentOneofCase.InvocationResponse => InvocationKey(message.InvocationResponse.InvocationId),
        _ => null,
    };

    public static string LoadKey(string functionId) => "load:" + functionId;

    public static string InvocationKey(string invocationId) => "invocation:" + invocationId;
}
