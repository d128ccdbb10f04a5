using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Export;

/// <summary>Writes candles, oldest first, in one export format to a stream it does not own; bounded memory
/// whatever the number of rows.</summary>
internal abstract class CandleFileWriter : IAsyncDisposable
{
    /// <summary>Adds the next candle; may write a batch to the stream.</summary>
    public abstract ValueTask AddAsync(StoredCandle candle, CancellationToken cancellationToken);

    /// <summary>Writes what is buffered and the format's trailer (Parquet's footer); the stream is left open.</summary>
    /// <param name="metadata">Key-value pairs the format can carry (Parquet's file metadata); others ignore them.</param>
    public abstract Task CompleteAsync(IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>A writer of <paramref name="format"/> on <paramref name="destination"/>.</summary>
    public static async Task<CandleFileWriter> CreateAsync(ExportFormat format, Stream destination, CancellationToken cancellationToken) =>
        format switch
        {
            ExportFormat.Parquet => await ParquetCandleWriter.CreateAsync(destination, ParquetCandleWriter.Layout.Full, cancellationToken),
            ExportFormat.Freqtrade => await ParquetCandleWriter.CreateAsync(destination, ParquetCandleWriter.Layout.Freqtrade, cancellationToken),
            ExportFormat.Csv => new CsvCandleWriter(destination),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format."),
        };
}
