using System.Collections.Concurrent;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Backfill;

/// <summary>
/// Drains the backfill queue with exactly the queue function's handler, for machines without the
/// Functions host (the CLI's <c>work</c>, tests, benchmarks), behaving as the host's queue listener does:
/// a batch received and handled at once, each message kept invisible while it runs (its visibility renewed, so a
/// killed worker's message comes back within <see cref="QueueDrainOptions.Lease"/>), deleted when handled, retried
/// after a delay when the handler throws, poisoned after the last try.
/// </summary>
public sealed class BackfillQueueDrainer(
    BackfillQueue queue,
    BackfillMessageHandler handler,
    TimeProvider timeProvider,
    ILogger<BackfillQueueDrainer> logger)
{
    /// <exception cref="ArgumentOutOfRangeException">An option Storage or the drain cannot work with.</exception>
    public async Task<QueueDrainSummary> DrainAsync(QueueDrainOptions options, IProgress<BackfillMessageOutcome>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        await queue.EnsureCreatedAsync(cancellationToken);
        var tally = new Tally();

        // The whole batch at once, as the host runs batchSize invocations (Parallel's default would be one per core).
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.BatchSize, CancellationToken = cancellationToken };
        while (!cancellationToken.IsCancellationRequested)
        {
            QueueMessage[] messages = await queue.Queue.ReceiveMessagesAsync(options.BatchSize, options.Lease, cancellationToken);
            if (messages.Length == 0)
            {
                // Delayed messages (the timer spreads its messages) and those other workers hold count as waiting:
                // keep polling for them.
                if (options.UntilEmpty && await queue.GetApproximateCountAsync(cancellationToken) == 0)
                {
                    break;
                }

                await Task.Delay(options.PollInterval, timeProvider, cancellationToken);
                continue;
            }

            await Parallel.ForEachAsync(messages, parallel, (message, ct) => new ValueTask(HandleAsync(message, options, tally, progress, cancellationToken, ct)));
        }

        return new QueueDrainSummary(tally.Processed, tally.Poisoned, tally.Retried, [.. tally.Results]);
    }

    private async Task HandleAsync(
        QueueMessage message, QueueDrainOptions options, Tally tally, IProgress<BackfillMessageOutcome>? progress, CancellationToken shutdown, CancellationToken cancellationToken)
    {
        await using var lease = QueueMessageLease.Start(queue.Queue, message, options.Lease, timeProvider, logger, shutdown);
        if (message.DequeueCount > options.MaxDequeueCount)
        {
            // As the host does: earlier tries never finished (their worker stopped), so it is not run again.
            Log.MessageOverDequeued(logger, message.MessageId, message.DequeueCount, options.MaxDequeueCount);
            var reason = $"Dequeued {message.DequeueCount} times, more than the {options.MaxDequeueCount} tries allowed; the earlier tries never finished (their worker stopped).";
            await queue.SendToPoisonAsync(message.MessageText, reason, cancellationToken);
            await lease.DeleteAsync(cancellationToken);
            Interlocked.Increment(ref tally.Poisoned);
            progress?.Report(new BackfillMessageOutcome(reason, null));
            return;
        }

        BackfillMessageOutcome outcome;
        try
        {
            outcome = await handler.HandleAsync(message.MessageText, message.DequeueCount, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (ex is BackfillIncompleteException { Result: { } partial })
            {
                tally.Results.Enqueue(partial);
            }

            if (message.DequeueCount >= options.MaxDequeueCount)
            {
                // As the host does after the last try: the message goes to the poison queue.
                await queue.SendToPoisonAsync(message.MessageText, $"Failed {message.DequeueCount} times; last error: {ex.Message}", cancellationToken);
                await lease.DeleteAsync(cancellationToken);
                Interlocked.Increment(ref tally.Poisoned);
                Log.MessagePoisoned(logger, ex.Message);
            }
            else
            {
                await lease.ReleaseAsync(options.RetryDelay, cancellationToken);
                Interlocked.Increment(ref tally.Retried);
            }

            return;
        }

        // A message lost meanwhile (its visibility ran out and another worker took it) is not deleted here: the
        // other worker runs it again, harmlessly, and deletes it.
        await lease.DeleteAsync(cancellationToken);
        Interlocked.Increment(ref tally.Processed);
        if (outcome.IsPoisoned)
        {
            Interlocked.Increment(ref tally.Poisoned);
        }

        if (outcome.Result is not null)
        {
            tally.Results.Enqueue(outcome.Result);
        }

        progress?.Report(outcome);
    }

    private sealed class Tally
    {
        // Fields, because they are counted with Interlocked.
        public int Processed;
        public int Poisoned;
        public int Retried;

        public ConcurrentQueue<BackfillResult> Results { get; } = new();
    }
}
