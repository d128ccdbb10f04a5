namespace Blofin.Backfill.Cli;

/// <summary>What one blofin-backfill process printed, and its exit code.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
