using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.FunctionsHost.SampleApp;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Received {Message} on try {DequeueCount}")]
    public static partial void Received(ILogger logger, string message, long dequeueCount);

    [LoggerMessage(2, LogLevel.Information, "Ticked, past due {IsPastDue}, next {NextUtc:yyyy-MM-ddTHH:mm:ss}")]
    public static partial void Ticked(ILogger logger, bool isPastDue, DateTime? nextUtc);
}
