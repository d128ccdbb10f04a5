using Azure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Sync;

/// <summary>A blob lease that is held: renewed in the background until released, with a token that
/// fires when it is lost (renewal refused, or not renewed within its duration).</summary>
internal sealed class BlobLeaseHolder : IAsyncDisposable
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    private readonly BlobLeaseClient _client;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _container;
    private readonly string _blob;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;
    private bool _released;

    public BlobLeaseHolder(
        BlobLeaseClient client, ETag blobETag, TimeSpan duration, TimeProvider timeProvider, ILogger logger, string container, string blob)
    {
        _client = client;
        BlobETag = blobETag;
        _duration = duration;
        _timeProvider = timeProvider;
        _logger = logger;
        _container = container;
        _blob = blob;
        _renewal = Task.Run(RenewAsync);
    }

    public string LeaseId => _client.LeaseId;

    /// <summary>The blob's ETag when the lease was taken: the version the merge starts from.</summary>
    public ETag BlobETag { get; }

    /// <summary>Fires when the lease is known lost.</summary>
    public CancellationToken LostToken => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    public void ThrowIfLost()
    {
        if (IsLost)
        {
            throw new LeaseLostSignal();
        }
    }

    /// <summary>Stops renewing and gives the lease back. A lease that cannot be released (lost, expired) is
    /// only logged: it ends by itself, and whatever was uploaded under it stays valid.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await StopRenewingAsync();
        if (_released || IsLost)
        {
            return;
        }

        _released = true;
        try
        {
            await _client.ReleaseAsync(cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or OperationCanceledException)
        {
            Log.LeaseReleaseFailed(_logger, _container, _blob, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(ReleaseTimeout, _timeProvider);
        await ReleaseAsync(timeout.Token);

        _lost.Dispose();
        _stop.Dispose();
    }

    private async Task StopRenewingAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _renewal;
    }

    private async Task RenewAsync()
    {
        // Renewing at a third of the duration leaves two more chances before the lease runs out.
        var interval = _duration / 3;
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
                using var timeout = new CancellationTokenSource(interval, _timeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, timeout.Token);
                await _client.RenewAsync(cancellationToken: linked.Token);
                renewedAt = _timeProvider.GetTimestamp();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
            {
                // LeaseIdMismatchWithLeaseOperation, LeaseIsBrokenAndCannotBeRenewed, LeaseNotPresentWithLeaseOperation...:
                // another holder or a break took it.
                await MarkLostAsync(ex);
                return;
            }
            catch (Exception ex)
            {
                // Anything else is taken as transient (a timeout, the network, a 5xx): the lease is still ours
                // until it runs out unrenewed. The loop must not die quietly, or a lost lease would go unnoticed.
                if (_timeProvider.GetElapsedTime(renewedAt) >= _duration)
                {
                    await MarkLostAsync(ex);
                    return;
                }

                Log.LeaseRenewFailed(_logger, _container, _blob, ex);
            }
        }
    }

    private async Task MarkLostAsync(Exception reason)
    {
        Log.LeaseLostWhileHeld(_logger, _container, _blob, reason);
        await _lost.CancelAsync();
    }
}
