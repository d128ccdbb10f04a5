using Blofin.Backfill.Storage;
using Blofin.Backfill.Exchange;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Backfill;

/// <summary>
/// The queue function's whole behaviour, shared with the CLI's <c>work</c>: parse, apply the poison
/// rule, run the backfill against the store.
/// </summary>
/// <remarks>
/// The poison rule: a message that can never succeed (unreadable, unknown bar, malformed symbol,
/// window out of bounds, an instrument Blofin does not list) is moved once to the poison queue with
/// its reason and completes normally, so the host neither retries it nor counts it as a failure.
/// Anything transient throws, and the host retries the message until its maxDequeueCount.
/// </remarks>
public sealed class BackfillMessageHandler(
    BackfillMessageParser parser,
    SymbolBackfiller backfiller,
    ICandleStore store,
    BackfillQueue queue,
    ILogger<BackfillMessageHandler> logger)
{
    /// <summary>Handles one message; <paramref name="dequeueCount"/> is the host's try number, from 1.</summary>
    /// <exception cref="BackfillIncompleteException">Some pages failed; what was fetched is merged; retry later.</exception>
    public async Task<BackfillMessageOutcome> HandleAsync(string? message, long dequeueCount, CancellationToken cancellationToken)
    {
        BackfillRequest request;
        try
        {
            request = parser.Parse(message);
        }
        catch (InvalidBackfillMessageException ex)
        {
            return await PoisonAsync(message, ex.Message, cancellationToken);
        }

        BackfillResult result;
        try
        {
            result = await backfiller.RunAsync(request, store, progress: null, cancellationToken);
        }
        catch (BlofinException ex) when (!ex.IsTransient)
        {
            return await PoisonAsync(message, ex.Message, cancellationToken);
        }

        if (result.Status != GapFillRunStatus.Succeeded)
        {
            Log.WillRetry(logger, request.InstId, dequeueCount, result.Error);
            throw new BackfillIncompleteException(result);
        }

        return new BackfillMessageOutcome(null, result);
    }

    private async Task<BackfillMessageOutcome> PoisonAsync(string? message, string reason, CancellationToken cancellationToken)
    {
        await queue.SendToPoisonAsync(message, reason, cancellationToken);
        Log.MessagePoisoned(logger, reason);
        return new BackfillMessageOutcome(reason, null);
    }
}
