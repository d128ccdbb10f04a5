namespace Blofin.Backfill.Sync;

/// <summary>The database blob is not a SQLite database or fails its integrity check; it is left as it is.</summary>
public sealed class CorruptDatabaseBlobException : Exception
{
    public CorruptDatabaseBlobException()
    {
    }

    public CorruptDatabaseBlobException(string message)
        : base(message)
    {
    }

    public CorruptDatabaseBlobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CorruptDatabaseBlobException(string container, string blob, string problem)
        : base($"The database blob '{container}/{blob}' is not a valid SQLite database ({problem}). It was not changed; repair or remove it by hand.")
    {
        Container = container;
        Blob = blob;
        Problem = problem;
    }

    public string? Container { get; }

    public string? Blob { get; }

    /// <summary>What the check found, e.g. the missing SQLite header or the quick_check's first lines.</summary>
    public string? Problem { get; }
}
