namespace Blofin.Backfill.Backfill;

/// <summary>A backfill that fetched only part of what it planned; thrown so the queue retries the message.</summary>
public sealed class BackfillIncompleteException : Exception
{
    public BackfillIncompleteException()
    {
    }

    public BackfillIncompleteException(string message)
        : base(message)
    {
    }

    public BackfillIncompleteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BackfillIncompleteException(BackfillResult result)
        : base(Describe(result))
    {
        Result = result;
    }

    /// <summary>What the incomplete run did merge.</summary>
    public BackfillResult? Result { get; }

    private static string Describe(BackfillResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return $"Backfill of {result.InstId} {result.Bar} is {result.Status.ToString().ToLowerInvariant()} ({result.PresentAfter}/{result.Expected} bars after {result.Requests} requests): {result.Error}";
    }
}
