using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Blofin.Backfill.Sync;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Backfill;

/// <summary>The backfill queue and its poison queue, as the Functions host sees them.</summary>
public sealed class BackfillQueue(StorageClients clients, IOptions<BackfillOptions> options, TimeProvider timeProvider)
{
    /// <summary>The suffix the Functions host gives a queue's poison queue.</summary>
    public const string PoisonSuffix = "-poison";

    private int _created;

    public QueueClient Queue { get; } = clients.Queues.GetQueueClient(options.Value.QueueName);

    public QueueClient PoisonQueue { get; } = clients.Queues.GetQueueClient(options.Value.QueueName + PoisonSuffix);

    /// <summary>Creates both queues when absent (once per process).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 1)
        {
            return;
        }

        await Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await PoisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        Volatile.Write(ref _created, 1);
    }

    /// <summary>Sends one request, visible after <paramref name="visibilityDelay"/>, dropped unprocessed after <paramref name="timeToLive"/>.</summary>
    public async Task SendAsync(BackfillRequest request, TimeSpan visibilityDelay, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await EnsureCreatedAsync(cancellationToken);
        await Queue.SendMessageAsync(request.ToMessageJson(), visibilityDelay, timeToLive, cancellationToken);
    }

    /// <summary>Moves a message that can never succeed to the poison queue, with the reason a person reads.</summary>
    public async Task SendToPoisonAsync(string? originalMessage, string reason, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var body = JsonSerializer.Serialize(new PoisonedMessage(originalMessage ?? string.Empty, reason, timeProvider.GetUtcNow()), PoisonedMessageJsonContext.Default.PoisonedMessage);

        // A poisoned message is kept until a person deletes it (-1 = never expires).
        await PoisonQueue.SendMessageAsync(body, TimeSpan.Zero, TimeSpan.FromSeconds(-1), cancellationToken);
    }

    /// <summary>Counts the messages waiting (approximate, as Storage reports it).</summary>
    public async Task<int> GetApproximateCountAsync(CancellationToken cancellationToken)
    {
        try
        {
            QueueProperties properties = await Queue.GetPropertiesAsync(cancellationToken);
            return properties.ApproximateMessagesCount;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == QueueErrorCode.QueueNotFound)
        {
            return 0;
        }
    }
}
