using System.Collections.Concurrent;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Backfill;

/// <summary>
/// Drains the backfill queue with exactly the queue function's handler, for machines without the
/// Functions host (the CLI's <c>work</c>, tests, benchmarks): received in batches, deleted when
/// handled, retried after a delay when the handler throws, poisoned after the last try.
/// </summary>
public sealed class BackfillQueueDrainer(
    BackfillQueue queue,
    BackfillMessageHandler handler,
    TimeProvider timeProvider,
    ILogger<BackfillQueueDrainer> logger)
{
    public async Task<QueueDrainSummary> DrainAsync(QueueDrainOptions options, IProgress<BackfillMessageOutcome>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await queue.EnsureCreatedAsync(cancellationToken);
        var results = new ConcurrentQueue<BackfillResult>();
        int processed = 0, poisoned = 0, retried = 0;

        while (!cancellationToken.IsCancellationRequested)
        {
            QueueMessage[] messages = await queue.Queue.ReceiveMessagesAsync(options.BatchSize, options.Lease, cancellationToken);
            if (messages.Length == 0)
            {
                // Delayed messages (the timer spreads its messages) count as waiting: keep polling for them.
                if (options.UntilEmpty && await queue.GetApproximateCountAsync(cancellationToken) == 0)
                {
                    break;
                }

                await Task.Delay(options.PollInterval, timeProvider, cancellationToken);
                continue;
            }

            // The whole batch at once, as the host runs batchSize messages concurrently (Parallel.ForEachAsync alone
            // would take only as many as the machine has cores, and a batch waits for its slowest message).
            var batch = new ParallelOptions { MaxDegreeOfParallelism = messages.Length, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(messages, batch, async (message, ct) =>
            {
                try
                {
                    var outcome = await handler.HandleAsync(message.MessageText, message.DequeueCount, ct);
                    await queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                    Interlocked.Increment(ref processed);
                    if (outcome.IsPoisoned)
                    {
                        Interlocked.Increment(ref poisoned);
                    }

                    if (outcome.Result is not null)
                    {
                        results.Enqueue(outcome.Result);
                    }

                    progress?.Report(outcome);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    if (ex is BackfillIncompleteException { Result: { } partial })
                    {
                        results.Enqueue(partial);
                    }

                    if (message.DequeueCount >= options.MaxDequeueCount)
                    {
                        // As the host does after the last try: the message goes to the poison queue.
                        await queue.SendToPoisonAsync(message.MessageText, $"Failed {message.DequeueCount} times; last error: {ex.Message}", ct);
                        await queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                        Interlocked.Increment(ref poisoned);
                        Log.MessagePoisoned(logger, ex.Message);
                    }
                    else
                    {
                        await queue.Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: options.RetryDelay, cancellationToken: ct);
                        Interlocked.Increment(ref retried);
                    }
                }
            });
        }

        return new QueueDrainSummary(processed, poisoned, retried, [.. results]);
    }
}
