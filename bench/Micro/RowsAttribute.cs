namespace Blofin.Backfill.Bench.Micro;

/// <summary>How many rows one invocation of the benchmark handles, for the rows/s column.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RowsAttribute(int rows) : Attribute
{
    public int Rows { get; } = rows;
}
