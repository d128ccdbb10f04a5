namespace Blofin.Backfill.Exchange;

/// <summary>Sits just before the connection: counts the attempts that reach the wire and holds the first
/// <paramref name="holdFirst"/> of them there, after the rate gate let them through, until <see cref="Release"/>, as a
/// starved CPU delays a send.</summary>
internal sealed class SendProbe(int holdFirst)
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sent;
    private int _holding;

    /// <summary>Attempts that reached the probe (held ones included).</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Attempts held now.</summary>
    public int Holding => Volatile.Read(ref _holding);

    /// <summary>Lets the held attempts go.</summary>
    public void Release() => _released.TrySetResult();

    public DelegatingHandler CreateHandler() => new Handler(this, holdFirst);

    private sealed class Handler(SendProbe probe, int holdFirst) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref probe._sent) <= holdFirst)
            {
                Interlocked.Increment(ref probe._holding);
                try
                {
                    await probe._released.Task.WaitAsync(cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref probe._holding);
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
