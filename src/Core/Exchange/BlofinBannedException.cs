namespace Blofin.Backfill.Exchange;

/// <summary>Blofin's firewall refused the request (HTTP 403): the IP is suspended; the whole process sends nothing
/// until <see cref="ResumeAtUtc"/>.</summary>
public sealed class BlofinBannedException : BlofinException
{
    internal BlofinBannedException(string message, string? code, DateTimeOffset resumeAtUtc)
        : base(message, code)
    {
        ResumeAtUtc = resumeAtUtc;
    }

    /// <summary>When the process-wide gate lets requests through again.</summary>
    public DateTimeOffset ResumeAtUtc { get; }

    public override bool IsTransient => true;
}
