namespace Blofin.Backfill.Sync;

/// <summary>Thrown inside a merge cycle when its lease is known lost, so the cycle starts over.</summary>
internal sealed class LeaseLostSignal : Exception
{
    public LeaseLostSignal()
        : base("The database blob's lease was lost before the upload.")
    {
    }

    public LeaseLostSignal(string message)
        : base(message)
    {
    }

    public LeaseLostSignal(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
