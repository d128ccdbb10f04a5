using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Blofin.Backfill.Exchange;

/// <summary>Reads Blofin's replies from their UTF-8 bytes: the envelope, candle rows (each one validated) and
/// instruments. Anything that cannot be right becomes a <see cref="BlofinMalformedResponseException"/> quoting it.</summary>
internal static class BlofinResponseReader
{
    /// <summary>How much of an offending text an exception message quotes.</summary>
    internal const int ExcerptLength = 200;

    private const int FieldsPerRow = 9;

    private static readonly string[] FieldNames =
        ["ts", "open", "high", "low", "close", "vol", "volCurrency", "volCurrencyQuote", "confirm"];

    public static BlofinEnvelope ReadEnvelope(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            ReadStartObject(ref reader, body);
            string? code = null;
            string? message = null;
            while (ReadProperty(ref reader))
            {
                if (reader.ValueTextEquals("code"u8))
                {
                    reader.Read();
                    code = ReadScalar(ref reader)
                        ?? throw Malformed($"Blofin's reply has a code that is neither a string nor a number: {Excerpt(body)}");
                }
                else if (reader.ValueTextEquals("msg"u8))
                {
                    reader.Read();
                    message = reader.TokenType == JsonTokenType.Null ? null : ReadScalar(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Reading on checks that nothing but white space follows the object (a truncated or doubled body fails here).
            if (reader.Read())
            {
                throw Malformed($"Blofin's reply has text after its JSON object: {Excerpt(body)}");
            }

            return new BlofinEnvelope(code ?? throw Malformed($"Blofin's reply has no code: {Excerpt(body)}"), message);
        }
        catch (JsonException ex)
        {
            throw new BlofinMalformedResponseException($"Blofin's reply is not valid JSON ({ex.Message}): {Excerpt(body)}", ex);
        }
    }

    /// <summary>Reads and validates the rows of a successful candles reply, newest first exactly as served.</summary>
    public static List<Candle> ReadCandles(ReadOnlySpan<byte> body, CandleQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        try
        {
            var reader = new Utf8JsonReader(body);
            MoveToData(ref reader, body);
            var candles = new List<Candle>(Math.Min(query.Limit, 1440));
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var rowStart = (int)reader.TokenStartIndex;
                var row = ReadRow(ref reader, out var problem);
                var rowText = body[rowStart..(int)reader.BytesConsumed];
                problem ??= CheckRow(row, query, candles.Count == 0 ? null : candles[^1].OpenTimeMs);
                if (problem is null && candles.Count == query.Limit)
                {
                    problem = $"is one more than the {query.Limit} rows asked for";
                }

                if (problem is not null)
                {
                    throw Malformed(
                        $"Row {candles.Count} of Blofin's {query.Bar} candles for {query.InstId} (after {Show(query.AfterMs)}, before {Show(query.BeforeMs)}) {problem}: {Excerpt(rowText)}");
                }

                candles.Add(row!);
            }

            return candles;
        }
        catch (JsonException ex)
        {
            throw new BlofinMalformedResponseException($"Blofin's candles reply is not valid JSON ({ex.Message}): {Excerpt(body)}", ex);
        }
    }

    /// <summary>Reads the instruments of a successful instruments reply; fields not used here are ignored.</summary>
    public static List<Instrument> ReadInstruments(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            MoveToData(ref reader, body);
            var instruments = new List<Instrument>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    throw Malformed($"Instrument {instruments.Count} of Blofin's reply is not an object: {Excerpt(body[start..(int)reader.BytesConsumed])}");
                }

                var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
                while (ReadProperty(ref reader))
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    fields[name] = ReadScalar(ref reader);
                    if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                    {
                        reader.Skip();
                    }
                }

                var text = body[start..(int)reader.BytesConsumed];
                instruments.Add(ToInstrument(fields, instruments.Count, text));
            }

            return instruments;
        }
        catch (JsonException ex)
        {
            throw new BlofinMalformedResponseException($"Blofin's instruments reply is not valid JSON ({ex.Message}): {Excerpt(body)}", ex);
        }
    }

    /// <summary>The text, decoded leniently and cut to <see cref="ExcerptLength"/> characters.</summary>
    public static string Excerpt(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "(empty body)";
        }

        var text = Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, ExcerptLength * 4)]);
        return text.Length <= ExcerptLength
            ? text
            : string.Concat(text.AsSpan(0, ExcerptLength), $"... ({utf8.Length} bytes)");
    }

    private static Candle? ReadRow(ref Utf8JsonReader reader, out string? problem)
    {
        problem = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            problem = "is not an array";
            return null;
        }

        long openTimeMs = 0;
        Span<decimal> numbers = stackalloc decimal[7];
        var confirmed = false;
        var field = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (field >= FieldsPerRow)
            {
                reader.Skip();
                field++;
                continue;
            }

            var name = FieldNames[field];
            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
            {
                reader.Skip();
                problem ??= $"has {name} that is not a string";
                field++;
                continue;
            }

            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
            {
                problem ??= $"has {name} that is not a string";
                field++;
                continue;
            }

            var value = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
            if (problem is null)
            {
                switch (field)
                {
                    case 0:
                        if (!Utf8Parser.TryParse(value, out openTimeMs, out var consumed) || consumed != value.Length || openTimeMs < 0)
                        {
                            problem = "has a ts that is not a timestamp";
                        }

                        break;
                    case <= 4:
                        if (!TryParseDecimal(value, out numbers[field - 1]))
                        {
                            problem = $"has {name} that is not a number";
                        }
                        else if (numbers[field - 1] <= 0)
                        {
                            problem = $"has {name} {numbers[field - 1]}, which cannot be a price";
                        }

                        break;
                    case <= 7:
                        // An old documented example has "" for vol: an empty volume is read as none, never a price.
                        if (value.IsEmpty)
                        {
                            numbers[field - 1] = 0;
                        }
                        else if (!TryParseDecimal(value, out numbers[field - 1]))
                        {
                            problem = $"has {name} that is not a number";
                        }
                        else if (numbers[field - 1] < 0)
                        {
                            problem = $"has a negative {name}";
                        }

                        break;
                    default:
                        if (value.SequenceEqual("1"u8))
                        {
                            confirmed = true;
                        }
                        else if (!value.SequenceEqual("0"u8))
                        {
                            problem = "has a confirm that is neither 0 nor 1";
                        }

                        break;
                }
            }

            field++;
        }

        if (field != FieldsPerRow)
        {
            problem = $"has {field} fields instead of {FieldsPerRow}";
        }

        return problem is null
            ? new Candle(openTimeMs, numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5], numbers[6], confirmed)
            : null;
    }

    private static string? CheckRow(Candle? row, CandleQuery query, long? newerOpenTimeMs)
    {
        if (row is null)
        {
            return null;
        }

        var ts = row.OpenTimeMs;
        if (ts % query.Bar.AlignmentMs != 0)
        {
            return $"opens at {ts}, which is not on a {query.Bar} boundary";
        }

        if (query.AfterMs is { } after && ts >= after)
        {
            return $"opens at {ts}, not before the exclusive bound after={after}";
        }

        if (query.BeforeMs is { } before && ts <= before)
        {
            return $"opens at {ts}, not after the exclusive bound before={before}";
        }

        if (newerOpenTimeMs is { } newer && ts >= newer)
        {
            return ts == newer
                ? $"repeats the open time {ts} of the row above it"
                : $"opens at {ts}, later than the row above it ({newer}): rows must come newest first";
        }

        if (row.Low > row.High)
        {
            return $"has low {row.Low} above high {row.High}";
        }

        if (row.Open < row.Low || row.Open > row.High)
        {
            return $"has open {row.Open} outside low {row.Low} to high {row.High}";
        }

        if (row.Close < row.Low || row.Close > row.High)
        {
            return $"has close {row.Close} outside low {row.Low} to high {row.High}";
        }

        return null;
    }

    private static Instrument ToInstrument(Dictionary<string, string?> fields, int index, ReadOnlySpan<byte> text)
    {
        var instId = Required(fields, "instId", index, text);
        if (!long.TryParse(Required(fields, "listTime", index, text), NumberStyles.None, CultureInfo.InvariantCulture, out var listTimeMs))
        {
            throw Malformed($"Instrument {instId} of Blofin's reply has a listTime that is not a timestamp: {Excerpt(text)}");
        }

        if (!decimal.TryParse(Required(fields, "contractValue", index, text), NumberStyles.Float, CultureInfo.InvariantCulture, out var contractValue)
            || contractValue <= 0)
        {
            throw Malformed($"Instrument {instId} of Blofin's reply has a contractValue that is not a positive number: {Excerpt(text)}");
        }

        // expireTime is absent, empty or 0 for perpetual swaps.
        long? expireTimeMs = long.TryParse(Optional(fields, "expireTime"), NumberStyles.None, CultureInfo.InvariantCulture, out var expire) && expire > 0
            ? expire
            : null;

        return new Instrument(
            instId,
            Optional(fields, "baseCurrency"),
            Optional(fields, "quoteCurrency"),
            contractValue,
            listTimeMs,
            expireTimeMs,
            Optional(fields, "instType"),
            Optional(fields, "contractType"),
            Optional(fields, "state"),
            Optional(fields, "settleCurrency"));
    }

    private static string Required(Dictionary<string, string?> fields, string name, int index, ReadOnlySpan<byte> text) =>
        fields.GetValueOrDefault(name) is { Length: > 0 } value
            ? value
            : throw Malformed($"Instrument {index} of Blofin's reply has no {name}: {Excerpt(text)}");

    private static string Optional(Dictionary<string, string?> fields, string name) => fields.GetValueOrDefault(name) ?? "";

    private static void MoveToData(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        ReadStartObject(ref reader, body);
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw Malformed($"Blofin's reply has data that is not an array: {Excerpt(body)}");
                }

                return;
            }

            reader.Read();
            reader.Skip();
        }

        throw Malformed($"Blofin's reply has no data: {Excerpt(body)}");
    }

    private static void ReadStartObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw Malformed($"Blofin's reply is not a JSON object: {Excerpt(body)}");
        }
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool ReadProperty(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    /// <summary>A string's value or a number's text; null for anything else.</summary>
    private static string? ReadScalar(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        _ => null,
    };

    private static bool TryParseDecimal(ReadOnlySpan<byte> utf8, out decimal value) =>
        decimal.TryParse(utf8, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);

    private static string Show(long? ms) => ms?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static BlofinMalformedResponseException Malformed(string message) => new(message);
}
