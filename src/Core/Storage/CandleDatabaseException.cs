namespace Blofin.Backfill.Storage;

/// <summary>A candle database file cannot be used: missing, not SQLite, not ours, or a schema this
/// build cannot read. The message names the file.</summary>
public class CandleDatabaseException : Exception
{
    public CandleDatabaseException()
    {
    }

    public CandleDatabaseException(string message)
        : base(message)
    {
    }

    public CandleDatabaseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public CandleDatabaseException(string filePath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The full path of the database file.</summary>
    public string? FilePath { get; }
}
