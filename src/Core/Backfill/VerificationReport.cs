using System.Text.Json;
using System.Text.Json.Serialization;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Backfill;

/// <summary>What <see cref="CandleVerifier"/> found: per symbol, the hours that matched Blofin's 1H candles, the
/// ones that did not (with both values) and the ones not compared because minutes are missing.</summary>
/// <param name="FromUtc">Open time of the first hour checked.</param>
/// <param name="ToUtc">Open time of the last hour checked (the last closed hour).</param>
/// <param name="VolumeTolerance">Largest relative difference of a volume counted equal.</param>
public sealed record VerificationReport(
    DateTimeOffset GeneratedAtUtc,
    DateTimeOffset FromUtc,
    DateTimeOffset ToUtc,
    int Hours,
    double VolumeTolerance,
    IReadOnlyList<SymbolVerification> Symbols)
{
    /// <summary>Whether any hour of any symbol disagrees with the exchange.</summary>
    public bool HasMismatch => Symbols.Any(symbol => symbol.Mismatches.Count > 0);

    public string ToJson() => JsonSerializer.Serialize(this, VerificationJsonContext.Default.VerificationReport);
}

/// <summary>One symbol of <see cref="VerificationReport"/>.</summary>
/// <param name="HoursChecked">Hours looked at (from the listing on, when that is later than the first hour).</param>
/// <param name="Matched">Hours whose rollup equals the exchange's 1H candle.</param>
/// <param name="Mismatches">Hours that differ, with both values.</param>
/// <param name="Incomplete">Hours with minutes neither stored nor proven absent (or whose 1H candle is not final).</param>
public sealed record SymbolVerification(
    string InstId,
    int HoursChecked,
    int Matched,
    IReadOnlyList<HourVerification> Mismatches,
    IReadOnlyList<HourVerification> Incomplete);

/// <summary>One hour that did not match.</summary>
/// <param name="Stored">The stored minutes rolled up (null when none is stored).</param>
/// <param name="Exchange">Blofin's 1H candle as doubles (null when it served none).</param>
/// <param name="Differences">The fields that differ (<c>open</c>, <c>vol</c>...); empty for an incomplete hour.</param>
/// <param name="MissingMinutes">Minutes neither stored nor proven absent (incomplete hours).</param>
public sealed record HourVerification(
    DateTimeOffset HourUtc,
    StoredCandle? Stored,
    StoredCandle? Exchange,
    IReadOnlyList<string> Differences,
    int MissingMinutes);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(VerificationReport))]
internal sealed partial class VerificationJsonContext : JsonSerializerContext;
