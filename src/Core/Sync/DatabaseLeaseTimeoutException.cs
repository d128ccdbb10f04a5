namespace Blofin.Backfill.Sync;

/// <summary>The database blob's lease stayed with another holder past <see cref="DatabaseBlobOptions.LeaseAcquireTimeout"/>.</summary>
public sealed class DatabaseLeaseTimeoutException : TimeoutException
{
    public DatabaseLeaseTimeoutException()
    {
    }

    public DatabaseLeaseTimeoutException(string message)
        : base(message)
    {
    }

    public DatabaseLeaseTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DatabaseLeaseTimeoutException(string container, string blob, int waits, TimeSpan waited)
        : base($"The lease on '{container}/{blob}' stayed with another holder for {waited.TotalSeconds:0.#} s ({waits} tries); nothing was merged. Raise {DatabaseBlobOptions.SectionName}:{nameof(DatabaseBlobOptions.LeaseAcquireTimeout)} if merges are long.")
    {
        Container = container;
        Blob = blob;
        Waits = waits;
    }

    public string? Container { get; }

    public string? Blob { get; }

    public int Waits { get; }
}
