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
        : this(container, blob, problem, $"The database blob '{container}/{blob}' is not a valid SQLite database ({problem}). It was not changed; repair or remove it by hand.")
    {
    }

    private CorruptDatabaseBlobException(string container, string blob, string problem, string message)
        : base(message)
    {
        Container = container;
        Blob = blob;
        Problem = problem;
    }

    public string? Container { get; }

    public string? Blob { get; }

    /// <summary>A downloaded block whose content does not match the hash in its ID: the download was corrupted on
    /// the way, or the blob was written wrongly. Nothing local was replaced and nothing was uploaded.</summary>
    internal static CorruptDatabaseBlobException BlockMismatch(string container, string blob, string problem) => new(
        container,
        blob,
        problem,
        $"A block of the database blob '{container}/{blob}' is not what its ID says ({problem}). The cached copy was kept and nothing was uploaded; if this happens again, the blob itself is corrupt: repair or remove it by hand.");

    /// <summary>What the check found, e.g. the missing SQLite header or the quick_check's first lines.</summary>
    public string? Problem { get; }
}
