using System.Buffers;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Blofin.Backfill.Exchange;

namespace Blofin.Backfill.Bench.Micro;

/// <summary>The client's response reader on a full 1440-row page, as the simulator (and Blofin) writes it.</summary>
[Config(typeof(MicroConfig))]
public class ParseBenchmarks
{
    public const int Rows = 1440;
    private const long MinuteMs = 60_000;
    private const long NewestMs = 1_763_625_600_000; // 2025-11-20T08:00Z

    private byte[] _body = [];
    private CandleQuery _query = null!;

    /// <summary>A page like Blofin's: newest first, prices on a 0.1 tick around 95,000, the newest row forming.</summary>
    public static byte[] CreatePage(int rows, long newestMs)
    {
        var random = new Random(7);
        var buffer = new ArrayBufferWriter<byte>(rows * 100);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("code", "0");
            writer.WriteString("msg", "success");
            writer.WriteStartArray("data");
            var price = 95_000m;
            for (var i = 0; i < rows; i++)
            {
                var open = price;
                var close = Math.Round(open + ((decimal)(random.NextDouble() - 0.5) * 60m), 1);
                var high = Math.Max(open, close) + Math.Round((decimal)random.NextDouble() * 20m, 1);
                var low = Math.Min(open, close) - Math.Round((decimal)random.NextDouble() * 20m, 1);
                var contracts = random.Next(1, 50_000);
                writer.WriteStartArray();
                writer.WriteStringValue((newestMs - (i * MinuteMs)).ToString(CultureInfo.InvariantCulture));
                foreach (var value in new[] { open, high, low, close, contracts, contracts * 0.001m, Math.Round(contracts * 0.001m * (open + close) / 2, 4) })
                {
                    writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
                }

                writer.WriteStringValue(i == 0 ? "0" : "1");
                writer.WriteEndArray();
                price = close;
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    [GlobalSetup]
    public void Setup()
    {
        _body = CreatePage(Rows, NewestMs);
        _query = new CandleQuery("BTC-USDT", Bar.OneMinute, AfterMs: NewestMs + MinuteMs, Limit: Rows);
    }

    [Benchmark]
    [Rows(Rows)]
    public int ReadCandles_1440RowPage() => BlofinResponseReader.ReadCandles(_body, _query).Count;

    [Benchmark]
    [Rows(Rows)]
    public string ReadEnvelope_1440RowPage() => BlofinResponseReader.ReadEnvelope(_body).Code;
}
