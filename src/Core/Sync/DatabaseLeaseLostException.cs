namespace Blofin.Backfill.Sync;

/// <summary>A merge lost the database blob's lease on every one of its attempts; nothing was written.</summary>
public sealed class DatabaseLeaseLostException : Exception
{
    public DatabaseLeaseLostException()
    {
    }

    public DatabaseLeaseLostException(string message)
        : base(message)
    {
    }

    public DatabaseLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
