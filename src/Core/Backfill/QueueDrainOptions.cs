namespace Blofin.Backfill.Backfill;

/// <summary>How <see cref="BackfillQueueDrainer"/> imitates the Functions host's queue listener
/// (the defaults are host.json's values, except the visibility, which is renewed).</summary>
public sealed record QueueDrainOptions
{
    /// <summary>The shortest <see cref="Lease"/>: Storage counts a message's visibility in whole seconds.</summary>
    public static readonly TimeSpan MinimumLease = TimeSpan.FromSeconds(1);

    /// <summary>The longest <see cref="Lease"/> Storage accepts (7 days).</summary>
    public static readonly TimeSpan MaximumLease = TimeSpan.FromDays(7);

    /// <summary>The most messages Storage hands out in one receive.</summary>
    public const int MaximumBatchSize = 32;

    /// <summary>Messages received, and handled at once (host.json <c>batchSize</c>).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Tries before a failing message goes to the poison queue (host.json <c>maxDequeueCount</c>).</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>How long a failed message stays invisible before its retry (host.json <c>visibilityTimeout</c>).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a received message stays invisible to other workers; renewed every third of it while the
    /// handler runs, so a long backfill keeps its message and a killed worker's message comes back this soon.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Stop once the queue holds no message, visible or delayed; otherwise run until cancelled.</summary>
    public bool UntilEmpty { get; init; } = true;

    /// <summary>Pause between polls of an empty queue.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws when a value is one Storage or the drain cannot work with.</summary>
    internal void Validate()
    {
        if (BatchSize is < 1 or > MaximumBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"The batch size must be between 1 and {MaximumBatchSize}.");
        }

        if (MaxDequeueCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDequeueCount), MaxDequeueCount, "A message must be tried at least once.");
        }

        if (Lease < MinimumLease || Lease > MaximumLease)
        {
            throw new ArgumentOutOfRangeException(nameof(Lease), Lease, $"The message visibility must be between {MinimumLease} and {MaximumLease}.");
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > MaximumLease)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, $"The retry delay must be between 0 and {MaximumLease}.");
        }
    }
}
