namespace Blofin.Backfill.Storage;

/// <summary>A read-only open found an empty or older candle database: it must be opened for writing once
/// (which migrates it) before it can be read.</summary>
public sealed class SchemaMigrationNeededException : CandleDatabaseException
{
    public SchemaMigrationNeededException()
    {
    }

    public SchemaMigrationNeededException(string message)
        : base(message)
    {
    }

    public SchemaMigrationNeededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SchemaMigrationNeededException(string filePath, int fileVersion, int currentVersion)
        : base(filePath, $"The candle database '{filePath}' has schema version {fileVersion} and this build reads version {currentVersion}; open it for writing once to migrate it.")
    {
        FileVersion = fileVersion;
        CurrentVersion = currentVersion;
    }

    public int FileVersion { get; }

    public int CurrentVersion { get; }
}
