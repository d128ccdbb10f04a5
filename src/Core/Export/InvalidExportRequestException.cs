namespace Blofin.Backfill.Export;

/// <summary>An export asked for something that cannot be done (a malformed or reversed time range, an unknown
/// format or bar, an output folder that cannot be written); nothing was written. The message is one line.</summary>
public class InvalidExportRequestException : Exception
{
    public InvalidExportRequestException()
    {
    }

    public InvalidExportRequestException(string message)
        : base(message)
    {
    }

    public InvalidExportRequestException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
