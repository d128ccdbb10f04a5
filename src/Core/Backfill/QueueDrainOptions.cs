namespace Blofin.Backfill.Backfill;

/// <summary>How <see cref="BackfillQueueDrainer"/> imitates the Functions host's queue listener
/// (the defaults are host.json's values).</summary>
public sealed record QueueDrainOptions
{
    /// <summary>Messages handled at once (host.json <c>batchSize</c>).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Tries before a failing message goes to the poison queue (host.json <c>maxDequeueCount</c>).</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>How long a failed message stays invisible before its retry (host.json <c>visibilityTimeout</c>).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a received message stays invisible to other workers while it is handled.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Stop once the queue holds no message, visible or delayed; otherwise run until cancelled.</summary>
    public bool UntilEmpty { get; init; } = true;

    /// <summary>Pause between polls of an empty queue.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
