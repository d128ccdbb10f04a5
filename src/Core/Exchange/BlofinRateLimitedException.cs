namespace Blofin.Backfill.Exchange;

/// <summary>Blofin rate-limited the request (HTTP 429, or code 429 in the body); the whole process sends nothing
/// until <see cref="ResumeAtUtc"/>.</summary>
public sealed class BlofinRateLimitedException : BlofinException
{
    internal BlofinRateLimitedException(string message, string? code, DateTimeOffset resumeAtUtc)
        : base(message, code)
    {
        ResumeAtUtc = resumeAtUtc;
    }

    /// <summary>When the process-wide gate lets requests through again.</summary>
    public DateTimeOffset ResumeAtUtc { get; }

    public override bool IsTransient => true;
}
