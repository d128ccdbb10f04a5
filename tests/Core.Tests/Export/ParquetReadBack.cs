using Parquet;
using Parquet.Meta;
using Parquet.Schema;

namespace Blofin.Backfill.Export;

/// <summary>A Parquet file read back whole with Parquet.Net's reader: its schema as written, every column, its
/// row groups and key-value metadata.</summary>
internal sealed record ParquetReadBack(
    IReadOnlyList<string> Columns,
    IReadOnlyList<SchemaElement> Schema,
    IReadOnlyList<DateTime> Times,
    IReadOnlyDictionary<string, double[]> Values,
    int RowGroups,
    IReadOnlyList<CompressionCodec> Codecs,
    IReadOnlyDictionary<string, string> Metadata)
{
    public int Rows => Times.Count;

    public static async Task<ParquetReadBack> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await ReadAsync(stream, cancellationToken);
    }

    public static async Task<ParquetReadBack> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
        var fields = reader.Schema.DataFields;
        var times = new List<DateTime>();
        var values = fields.Skip(1).ToDictionary(f => f.Name, _ => new List<double>());
        var codecs = new List<CompressionCodec>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            var timeBuffer = new DateTime[count];
            await group.ReadAsync<DateTime>(fields[0], timeBuffer, cancellationToken: cancellationToken);
            times.AddRange(timeBuffer);
            foreach (var field in fields.Skip(1))
            {
                var buffer = new double[count];
                await group.ReadAsync<double>(field, buffer, cancellationToken: cancellationToken);
                values[field.Name].AddRange(buffer);
            }

            codecs.AddRange(group.RowGroup.Columns.Select(c => c.MetaData!.Codec));
        }

        return new ParquetReadBack(
            [.. fields.Select(f => f.Name)],
            [.. reader.Metadata!.Schema.Skip(1)],
            times,
            values.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()),
            reader.RowGroupCount,
            codecs,
            reader.CustomMetadata);
    }

    public long OpenTimeMs(int row) => new DateTimeOffset(Times[row]).ToUnixTimeMilliseconds();
}
