namespace Blofin.Backfill.Cli;

/// <summary>The process exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran but did not complete: some symbol failed, or the exchange or storage failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments, settings, symbol or database: nothing was done.</summary>
    public const int Usage = 2;

    /// <summary><c>coverage --fail-under</c>: some symbol is below the threshold.</summary>
    public const int BelowThreshold = 3;

    /// <summary><c>verify</c>: some hour differs from the exchange's own aggregation.</summary>
    public const int VerifyMismatch = 4;

    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
