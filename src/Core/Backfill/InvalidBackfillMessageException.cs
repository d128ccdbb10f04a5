namespace Blofin.Backfill.Backfill;

/// <summary>A queue message that can never succeed, whatever is retried; the message says why.</summary>
public sealed class InvalidBackfillMessageException : Exception
{
    public InvalidBackfillMessageException()
    {
    }

    public InvalidBackfillMessageException(string message)
        : base(message)
    {
    }

    public InvalidBackfillMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
