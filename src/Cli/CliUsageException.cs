namespace Blofin.Backfill.Cli;

/// <summary>Arguments that parse but make no sense together; exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
