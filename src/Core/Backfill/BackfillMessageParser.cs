using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Blofin.Backfill.Exchange;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Backfill;

/// <summary>
/// Reads a queue message in any of the three forms a person or the timer may send: a JSON object,
/// the same JSON base64-encoded (the portal's "encode" box ticked), or a bare instrument ID.
/// </summary>
/// <remarks>
/// Blofin IDs contain '-', which is not in the base64 alphabet, so the forms cannot be confused.
/// Every rejection is an <see cref="InvalidBackfillMessageException"/> whose message a person can act on.
/// </remarks>
public sealed partial class BackfillMessageParser(IOptions<BackfillOptions> options, TimeProvider timeProvider)
{
    /// <summary>The longest manual range one message may ask for.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(366);

    /// <summary>The largest <c>lookbackHours</c> a message may ask for (366 days).</summary>
    public const int MaxLookbackHours = 366 * 24;

    private const int MaxEchoedLength = 120;

    private static readonly string[] s_knownFields = ["instId", "bar", "lookbackHours", "from", "to", "trigger"];
    private static readonly string[] s_knownTriggers = [BackfillTriggers.Timer, BackfillTriggers.Manual, BackfillTriggers.Cli];

    /// <summary>Parses and validates <paramref name="message"/>.</summary>
    /// <exception cref="InvalidBackfillMessageException">The message can never succeed; the text says why.</exception>
    public BackfillRequest Parse(string? message)
    {
        var text = message?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw new InvalidBackfillMessageException("The message is empty; send a JSON object such as {\"instId\":\"BTC-USDT\"} or a bare instrument ID.");
        }

        if (text[0] == '{')
        {
            return ParseJson(text);
        }

        if (InstrumentIdPattern().IsMatch(text.ToUpperInvariant()))
        {
            return ForInstrument(text);
        }

        if (TryDecodeBase64(text, out var decoded))
        {
            if (decoded.StartsWith('{'))
            {
                return ParseJson(decoded);
            }

            if (InstrumentIdPattern().IsMatch(decoded.ToUpperInvariant()))
            {
                return ForInstrument(decoded);
            }
        }

        throw new InvalidBackfillMessageException(
            $"The message '{Echo(text)}' is neither a JSON object, base64-encoded JSON, nor an instrument ID like BTC-USDT.");
    }

    /// <summary>Validates an instrument ID as typed by a person and returns it in Blofin's upper case.</summary>
    /// <exception cref="InvalidBackfillMessageException">It cannot be a Blofin instrument ID.</exception>
    public static string NormalizeInstrumentId(string? instId)
    {
        var upper = instId?.Trim().ToUpperInvariant() ?? string.Empty;
        if (!InstrumentIdPattern().IsMatch(upper))
        {
            throw new InvalidBackfillMessageException(
                $"'{Echo(instId ?? string.Empty)}' is not a Blofin instrument ID (expected BASE-QUOTE such as BTC-USDT).");
        }

        return upper;
    }

    private BackfillRequest ForInstrument(string instId)
    {
        var defaults = options.Value;
        return new BackfillRequest(NormalizeInstrumentId(instId), ParseBar(defaults.Bar), defaults.LookbackHours);
    }

    private BackfillRequest ParseJson(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidBackfillMessageException($"The message is not valid JSON ({ex.Message}): '{Echo(json)}'.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidBackfillMessageException($"The message must be a JSON object, not {root.ValueKind}: '{Echo(json)}'.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!s_knownFields.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new InvalidBackfillMessageException(
                        $"Unknown field '{Echo(property.Name)}'; the known fields are {string.Join(", ", s_knownFields)} (names are case-sensitive).");
                }
            }

            var defaults = options.Value;
            var instId = NormalizeInstrumentId(GetString(root, "instId")
                ?? throw new InvalidBackfillMessageException("The message has no 'instId' (for example {\"instId\":\"BTC-USDT\"})."));
            var bar = ParseBar(GetString(root, "bar") ?? defaults.Bar);
            var trigger = GetString(root, "trigger") ?? BackfillTriggers.Manual;
            if (!s_knownTriggers.Contains(trigger, StringComparer.Ordinal))
            {
                throw new InvalidBackfillMessageException($"Unknown trigger '{Echo(trigger)}'; expected one of {string.Join(", ", s_knownTriggers)}.");
            }

            var from = GetInstant(root, "from");
            var to = GetInstant(root, "to");
            var hasLookback = root.TryGetProperty("lookbackHours", out var lookbackElement);
            if (from is null != to is null)
            {
                throw new InvalidBackfillMessageException("A manual range needs both 'from' and 'to'.");
            }

            if (from is not null && to is not null)
            {
                if (hasLookback)
                {
                    throw new InvalidBackfillMessageException("Give either 'lookbackHours' or 'from'/'to', not both.");
                }

                ValidateRange(from.Value, to.Value);
                return new BackfillRequest(instId, bar, defaults.LookbackHours, from, to, trigger);
            }

            var lookbackHours = hasLookback ? ParseLookbackHours(lookbackElement) : defaults.LookbackHours;
            return new BackfillRequest(instId, bar, lookbackHours, Trigger: trigger);
        }
    }

    private void ValidateRange(DateTimeOffset from, DateTimeOffset to)
    {
        if (from >= to)
        {
            throw new InvalidBackfillMessageException($"'from' ({Format(from)}) must be before 'to' ({Format(to)}).");
        }

        if (to - from > MaxRange)
        {
            throw new InvalidBackfillMessageException($"The range {Format(from)} to {Format(to)} is longer than {MaxRange.TotalDays:0} days; split it into several messages.");
        }

        var now = timeProvider.GetUtcNow();
        if (from > now)
        {
            throw new InvalidBackfillMessageException($"'from' ({Format(from)}) is in the future (now {Format(now)}).");
        }
    }

    private static int ParseLookbackHours(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var hours))
        {
            throw new InvalidBackfillMessageException($"'lookbackHours' must be a whole number of hours, not {Echo(element.GetRawText())}.");
        }

        if (hours is < 1 or > MaxLookbackHours)
        {
            throw new InvalidBackfillMessageException($"'lookbackHours' must be between 1 and {MaxLookbackHours}, not {hours}.");
        }

        return hours;
    }

    private static Bar ParseBar(string name)
    {
        if (!Bar.TryParse(name, out var bar))
        {
            throw new InvalidBackfillMessageException(
                $"Unknown bar '{Echo(name)}'; Blofin's bars are {string.Join(", ", Bar.Known.Select(b => b.Name))} (case matters: 1m is a minute, 1M a month).");
        }

        return bar;
    }

    private static string? GetString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : throw new InvalidBackfillMessageException($"'{name}' must be a string, not {Echo(element.GetRawText())}.");
    }

    private static DateTimeOffset? GetInstant(JsonElement root, string name)
    {
        var text = GetString(root, name);
        if (text is null)
        {
            return null;
        }

        // An instant without an offset would be read in the worker's time zone: demand one.
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || OffsetSuffix().IsMatch(text);
        if (!hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new InvalidBackfillMessageException($"'{name}' must be an ISO 8601 instant with an offset, such as 2026-11-20T00:00:00Z, not '{Echo(text)}'.");
        }

        return value.ToUniversalTime();
    }

    private static bool TryDecodeBase64(string text, out string decoded)
    {
        decoded = string.Empty;
        var bytes = Encoding.ASCII.GetBytes(text);
        if (!Base64.IsValid(bytes, out var length))
        {
            return false;
        }

        var buffer = new byte[length];
        if (Base64.DecodeFromUtf8(bytes, buffer, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written).Trim();
            return decoded.Length > 0;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Echo(string text) =>
        text.Length <= MaxEchoedLength ? text : string.Concat(text.AsSpan(0, MaxEchoedLength), "...");

    // Base and quote are letters and digits (1000PEPE-USDT exists); no -SWAP suffix on Blofin.
    [GeneratedRegex("^[A-Z0-9]{1,24}-[A-Z0-9]{1,12}$", RegexOptions.CultureInvariant)]
    private static partial Regex InstrumentIdPattern();

    [GeneratedRegex("[+-][0-9]{2}:?[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetSuffix();
}
