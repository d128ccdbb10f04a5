using Blofin.Backfill.FunctionsHost.Rpc;
using Grpc.Core;

namespace Blofin.Backfill.FunctionsHost;

/// <summary>The gRPC endpoint the worker connects to: pumps the one event stream in both directions
/// through the <see cref="WorkerConnection"/>.</summary>
internal sealed class FunctionRpcService(WorkerConnection connection) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(
        IAsyncStreamReader<StreamingMessage> requestStream,
        IServerStreamWriter<StreamingMessage> responseStream,
        ServerCallContext context)
    {
        if (!connection.TryAttach())
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.FailedPrecondition, "A worker is already connected to this test host."));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var writing = WriteAllAsync(responseStream, stop.Token);
        Exception? error = null;
        try
        {
            await foreach (var message in requestStream.ReadAllAsync(stop.Token))
            {
                connection.Receive(message);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or Grpc.Core.RpcException or InvalidOperationException)
        {
            // The worker went away (killed, crashed) or the host is shutting down.
            error = ex;
        }
        finally
        {
            connection.Close(error);
            await stop.CancelAsync();
            await writing;
        }
    }

    private async Task WriteAllAsync(IServerStreamWriter<StreamingMessage> responseStream, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in connection.Outbound.ReadAllAsync(cancellationToken))
            {
                await responseStream.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The stream ended while a message was on its way; the reader reports why.
        }
    }
}
