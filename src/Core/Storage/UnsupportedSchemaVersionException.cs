namespace Blofin.Backfill.Storage;

/// <summary>The database file was written by a newer build (its <c>PRAGMA user_version</c> is above the
/// newest this build knows); it is left untouched.</summary>
public sealed class UnsupportedSchemaVersionException : CandleDatabaseException
{
    public UnsupportedSchemaVersionException()
    {
    }

    public UnsupportedSchemaVersionException(string message)
        : base(message)
    {
    }

    public UnsupportedSchemaVersionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public UnsupportedSchemaVersionException(string filePath, int fileVersion, int supportedVersion)
        : base(
            filePath,
            $"The candle database '{filePath}' has schema version {fileVersion}, newer than version {supportedVersion} that this build supports; " +
            "it was written by a newer blofin-backfill. Upgrade this one; the file was not changed.")
    {
        FileVersion = fileVersion;
        SupportedVersion = supportedVersion;
    }

    public int FileVersion { get; }

    public int SupportedVersion { get; }
}
