using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Backfill;

/// <summary>A received queue message held invisible while its handler runs, as the Functions host holds it: the
/// visibility is renewed every third of its length, and each renewal's new pop receipt is the one that deletes or
/// releases the message.</summary>
internal sealed class QueueMessageLease : IAsyncDisposable
{
    private readonly QueueClient _queue;
    private readonly TimeSpan _visibility;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationToken _shutdown;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;
    private string _popReceipt;
    private bool _lost;

    private QueueMessageLease(QueueClient queue, QueueMessage message, TimeSpan visibility, TimeProvider timeProvider, ILogger logger, CancellationToken shutdown)
    {
        _queue = queue;
        MessageId = message.MessageId;
        _popReceipt = message.PopReceipt;
        _visibility = visibility;
        _timeProvider = timeProvider;
        _logger = logger;
        _shutdown = shutdown;
        _renewal = Task.Run(RenewAsync, CancellationToken.None);
    }

    public string MessageId { get; }

    /// <summary>Whether the message is known to be no longer ours (deleted, or received by another worker after
    /// its visibility ran out).</summary>
    public bool IsLost => Volatile.Read(ref _lost);

    /// <summary>Starts renewing the visibility of <paramref name="message"/>, just received with that visibility.</summary>
    /// <param name="shutdown">Cancels a renewal in flight only when the whole drain stops.</param>
    public static QueueMessageLease Start(QueueClient queue, QueueMessage message, TimeSpan visibility, TimeProvider timeProvider, ILogger logger, CancellationToken shutdown) =>
        new(queue, message, visibility, timeProvider, logger, shutdown);

    /// <summary>Deletes the message (it was handled); false when it was no longer ours to delete.</summary>
    public async Task<bool> DeleteAsync(CancellationToken cancellationToken)
    {
        await StopRenewingAsync();
        if (IsLost)
        {
            return false;
        }

        try
        {
            await _queue.DeleteMessageAsync(MessageId, _popReceipt, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (IsNoLongerOurs(ex))
        {
            MarkLost(ex);
            return false;
        }
    }

    /// <summary>Makes the message visible again after <paramref name="delay"/> (the retry); false when it was no
    /// longer ours.</summary>
    public async Task<bool> ReleaseAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        await StopRenewingAsync();
        if (IsLost)
        {
            return false;
        }

        try
        {
            await _queue.UpdateMessageAsync(MessageId, _popReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (IsNoLongerOurs(ex))
        {
            MarkLost(ex);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopRenewingAsync();
        _stop.Dispose();
    }

    private async Task StopRenewingAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        // A renewal in flight is awaited, never abandoned: it may have moved the message to a new pop receipt.
        await _renewal;
    }

    private async Task RenewAsync()
    {
        // A third of the visibility leaves two more chances before the message shows again.
        var interval = _visibility / 3;
        var renewedAt = _timeProvider.GetTimestamp();
        while (true)
        {
            try
            {
                await Task.Delay(interval, _timeProvider, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                UpdateReceipt receipt = await _queue.UpdateMessageAsync(MessageId, _popReceipt, visibilityTimeout: _visibility, cancellationToken: _shutdown);
                _popReceipt = receipt.PopReceipt;
                renewedAt = _timeProvider.GetTimestamp();
            }
            catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException ex) when (IsNoLongerOurs(ex))
            {
                MarkLost(ex);
                return;
            }
            catch (Exception ex) when (ex is RequestFailedException or AggregateException or IOException or OperationCanceledException)
            {
                // Transient (a timeout, the network, a 5xx): the message stays ours until its visibility runs out.
                Log.MessageRenewFailed(_logger, MessageId, (long)_timeProvider.GetElapsedTime(renewedAt).TotalMilliseconds, ex);
            }
        }
    }

    private void MarkLost(RequestFailedException reason)
    {
        Volatile.Write(ref _lost, true);
        Log.MessageLost(_logger, MessageId, reason.ErrorCode ?? reason.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>404 MessageNotFound (deleted, or expired) or 400 PopReceiptMismatch (another worker received it
    /// after its visibility ran out).</summary>
    private static bool IsNoLongerOurs(RequestFailedException exception) =>
        exception.Status == 404
        || string.Equals(exception.ErrorCode, QueueErrorCode.MessageNotFound.ToString(), StringComparison.Ordinal)
        || string.Equals(exception.ErrorCode, QueueErrorCode.PopReceiptMismatch.ToString(), StringComparison.Ordinal);
}
