using System.Diagnostics;

namespace Blofin.Backfill.Bench;

/// <summary>CPU time used so far by this process (the workers and the simulator) and by the Azurite the bench started
/// (null for one named by <c>AZURITE_CONNECTION_STRING</c>). Unlike wall time, it does not grow with the machine's
/// other load, so it says how much work a scenario is.</summary>
internal sealed class CpuMeter(AzuriteServer azurite)
{
    public (TimeSpan Bench, TimeSpan? Storage) Read()
    {
        using var self = Process.GetCurrentProcess();
        return (self.TotalProcessorTime, azurite.CpuTime);
    }
}
