using Blofin.Backfill.Backfill;
using Microsoft.Azure.Functions.Worker;

namespace Blofin.Backfill.Functions;

/// <summary>The queue worker: one message, one symbol made complete in the blob database.</summary>
public sealed class BackfillSymbol(BackfillMessageHandler handler)
{
    // The message is bound as a string (host.json: messageEncoding "none") so that whatever a person
    // sends reaches our own parser and poison rule instead of the host's base64 decoder.
    [Function(nameof(BackfillSymbol))]
    public Task RunAsync(
        [QueueTrigger("%BackfillQueueName%", Connection = "AzureWebJobsStorage")] string message,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, dequeueCount, cancellationToken);
}
