using Blofin.Backfill.Backfill;
using Blofin.Backfill.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Blofin.Backfill.Export;

/// <summary>A temp folder with a candle database file in it, an output folder path (not created), and an exporter on
/// a fake clock at <see cref="ExportTestData.Now"/>.</summary>
internal sealed class ExportFixture : IDisposable
{
    private readonly TempDirectory _folder = TempDirectory.Create("blofin-export-");

    public ExportFixture(DateTimeOffset? now = null, ILogger<CandleExporter>? logger = null)
    {
        Clock = new FakeTimeProvider(now ?? ExportTestData.Now);
        DatabasePath = _folder.Combine("candles.sqlite");
        OutputDirectory = _folder.Combine("out");
        Exporter = new CandleExporter(Clock, logger ?? NullLogger<CandleExporter>.Instance);
        Store = new LocalCandleStore(DatabasePath);
    }

    public FakeTimeProvider Clock { get; }

    public string DatabasePath { get; }

    public string OutputDirectory { get; }

    public CandleExporter Exporter { get; }

    public LocalCandleStore Store { get; }

    public string Root => _folder.Path;

    public string Output(params string[] parts) => Path.Combine([OutputDirectory, .. parts]);

    /// <summary>Every file under the output folder, relative to it, sorted; empty when the folder does not exist.</summary>
    public IReadOnlyList<string> OutputFiles() => Directory.Exists(OutputDirectory)
        ? [.. Directory.EnumerateFiles(OutputDirectory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(OutputDirectory, f)).Order(StringComparer.Ordinal)]
        : [];

    public void Dispose()
    {
        Store.Dispose();
        _folder.Dispose();
    }
}
