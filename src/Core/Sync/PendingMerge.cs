namespace Blofin.Backfill.Sync;

/// <summary>One caller's merge waiting for (or riding in) a lease cycle, and the answer it is waiting for.</summary>
internal sealed class PendingMerge(
    Func<string, CancellationToken, Task<object?>> apply,
    Func<string, SyncTransfer, CancellationToken, Task>? record,
    CancellationToken cancellationToken)
{
    private readonly TaskCompletionSource<object?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Func<string, CancellationToken, Task<object?>> Apply => apply;

    /// <summary>Writes the figures of the upload that will carry the apply's changes into the working copy (its
    /// run row); null when the caller records nothing.</summary>
    public Func<string, SyncTransfer, CancellationToken, Task>? Record => record;

    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>What the apply returned on the current working copy, handed out once the upload succeeds.</summary>
    public object? Result { get; set; }

    /// <summary>What the cycle that uploaded the changes moved; set when it succeeds.</summary>
    public SyncTransfer? Transfer { get; private set; }

    public Task<object?> Completion => _completion.Task;

    public void Succeed(SyncTransfer transfer)
    {
        Transfer = transfer;
        _completion.TrySetResult(Result);
    }

    public void Fail(Exception exception)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            _completion.TrySetCanceled(cancellationToken);
        }
        else
        {
            _completion.TrySetException(exception);
        }
    }
}
