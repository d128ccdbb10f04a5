using Microsoft.Extensions.Logging;

namespace Blofin.Backfill.Cli;

/// <summary>Writes each log entry as one line to standard error through <see cref="CliConsole.WriteErrorLine"/>,
/// so standard output holds only the command's result.</summary>
/// <remarks>Not the Microsoft console logger: that one writes to <see cref="Console"/> itself, from a background
/// thread, so tests could not capture it and its lines could land inside a live progress display. Levels and
/// categories are filtered by the logging builder's rules before an entry reaches this provider.</remarks>
internal sealed class TextWriterLoggerProvider(CliConsole console, bool includeStackTraces) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = $"{Label(level)} {category}: {message}";
        if (exception is not null)
        {
            line = includeStackTraces ? $"{line}{Environment.NewLine}{exception}" : $"{line} ({CliFailure.FirstLine(exception.Message)})";
        }

        console.WriteErrorLine(line);
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "crit",
    };

    private sealed class Logger(TextWriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            provider.Write(logLevel, category, formatter(state, exception), exception);
        }
    }
}
