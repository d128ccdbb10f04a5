using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Blofin.Backfill.Bench.Micro;

/// <summary>A short in-process job (the machine is small and shared, and a generated project takes minutes to
/// build on it), memory figures and the rows/s column.</summary>
public class MicroConfig : ManualConfig
{
    public MicroConfig()
        : this(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10))
    {
    }

    protected MicroConfig(Job job)
    {
        AddJob(job.WithToolchain(InProcessEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new RowsPerSecondColumn());
        ArtifactsPath = Path.Combine(RepositoryRoot.Find(), "bench", "BenchmarkDotNet.Artifacts");
    }
}

/// <summary>For benchmarks that need a fresh file per invocation: one invocation per iteration.</summary>
public sealed class SingleInvocationConfig : MicroConfig
{
    public SingleInvocationConfig()
        : base(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(15))
    {
    }
}
