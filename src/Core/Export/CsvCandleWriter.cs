using System.Globalization;
using System.Text;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Export;

/// <summary>Candles as CSV: a header, ISO 8601 UTC open times (<c>2025-01-06T00:00:00Z</c>), numbers in the invariant
/// culture as the shortest text that reads back to the stored double. Formatted straight into a UTF-8 buffer.</summary>
internal sealed class CsvCandleWriter : CandleFileWriter
{
    public const string Header = "timestamp,open,high,low,close,volume,volume_contracts,volume_quote\n";

    private const int BufferSize = 64 * 1024;

    // A row is at most 20 bytes of time and 7 numbers of at most 24 bytes each, with separators.
    private const int MaxRowBytes = 256;

    private readonly Stream _destination;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _length;

    public CsvCandleWriter(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _destination = destination;
        _length = Encoding.UTF8.GetBytes(Header, _buffer);
    }

    public override ValueTask AddAsync(StoredCandle candle, CancellationToken cancellationToken)
    {
        var span = _buffer.AsSpan(_length);
        var written = 0;
        var time = new DateTime(DateTime.UnixEpoch.Ticks + (candle.OpenTimeMs * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        if (!time.TryFormat(span, out written, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("The CSV buffer cannot hold a time.");
        }

        written = Append(span, written, candle.Open);
        written = Append(span, written, candle.High);
        written = Append(span, written, candle.Low);
        written = Append(span, written, candle.Close);
        written = Append(span, written, candle.VolumeCurrency);
        written = Append(span, written, candle.Volume);
        written = Append(span, written, candle.VolumeQuote);
        span[written++] = (byte)'\n';
        _length += written;
        return _length > BufferSize - MaxRowBytes ? new ValueTask(FlushAsync(cancellationToken)) : ValueTask.CompletedTask;
    }

    public override async Task CompleteAsync(IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await _destination.FlushAsync(cancellationToken);
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static int Append(Span<byte> span, int at, double value)
    {
        span[at++] = (byte)',';

        // "R" is the shortest text that parses back to the same double (never a culture's separators).
        if (!value.TryFormat(span[at..], out var written, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("The CSV buffer cannot hold a number.");
        }

        return at + written;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_length > 0)
        {
            await _destination.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken);
            _length = 0;
        }
    }
}
