using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.FunctionsHost.SampleApp;

/// <summary>Answers a queue message with its text upper-cased on the output queue; fails on "fail".
/// Binds the try number from the trigger metadata, as src/Functions' queue function does.</summary>
public sealed class EchoMessage(ILogger<EchoMessage> logger)
{
    [Function(nameof(EchoMessage))]
    [QueueOutput("%SampleOutputQueueName%", Connection = "AzureWebJobsStorage")]
    public string Run([QueueTrigger("%SampleQueueName%", Connection = "AzureWebJobsStorage")] string message, long dequeueCount)
    {
        ArgumentNullException.ThrowIfNull(message);
        Log.Received(logger, message, dequeueCount);
        // The worker's one log that carries structured fields to the host (RpcLog.propertiesMap).
        logger.LogMetric("EchoLength", message.Length, new Dictionary<string, object> { ["DequeueCount"] = dequeueCount });
        return message == "fail"
            ? throw new InvalidOperationException($"The sample fails on '{message}' by design.")
            : message.ToUpperInvariant();
    }
}
