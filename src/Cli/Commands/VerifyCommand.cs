using System.CommandLine;
using System.Globalization;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Cli.Commands;

/// <summary><c>verify</c>: roll the stored 1-minute candles up to hours and compare them with Blofin's own 1H
/// candles; exit 4 when an hour differs.</summary>
internal static class VerifyCommand
{
    private const int IncompleteShown = 5;

    public static Command Create(CommandContext context)
    {
        var symbols = CliOptions.Symbols();
        var database = CliOptions.Database();
        var blob = CliOptions.Blob();
        var baseUrl = CliOptions.BaseUrl();
        var json = CliOptions.Json();
        var hours = new Option<int>("--hours")
        {
            Description = $"The last N closed hours to check, 1 to {CandleVerifier.MaxHours} (one 1H request per symbol).",
            DefaultValueFactory = _ => 24,
            HelpName = "n",
        };
        hours.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > CandleVerifier.MaxHours)
            {
                result.AddError($"--hours takes 1 to {CandleVerifier.MaxHours}.");
            }
        });
        var tolerance = new Option<double>("--volume-tolerance")
        {
            Description = "Largest relative difference of a volume still counted equal (default 1e-6); prices must be equal.",
            DefaultValueFactory = _ => CandleVerifier.DefaultVolumeTolerance,
            HelpName = "ratio",
        };
        tolerance.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is var value && (double.IsNaN(value) || value < 0))
            {
                result.AddError("--volume-tolerance takes a ratio of 0 or more.");
            }
        });
        var command = new Command("verify", "Cross-check the stored 1m candles against Blofin's own 1H candles: open, high, low, close exactly, volumes within a tolerance.")
        {
            symbols, database, blob, baseUrl, hours, tolerance, json,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var services = context.CreateServices(parsed);
            var store = await services.OpenStoreAsync(parsed.GetValue(database), parsed.GetValue(blob), mustExist: true, cancellationToken);
            var list = await services.Get<SymbolSource>().GetSymbolsAsync(cancellationToken);
            var report = await services.Get<CandleVerifier>().VerifyAsync(store, list, parsed.GetValue(hours), parsed.GetValue(tolerance), cancellationToken);
            if (parsed.GetValue(json))
            {
                await context.Console.Output.WriteLineAsync(report.ToJson());
            }
            else
            {
                await WritePlainAsync(context.Console.Output, report);
            }

            return report.HasMismatch ? ExitCodes.VerifyMismatch : ExitCodes.Success;
        });
        return command;
    }

    private static async Task WritePlainAsync(TextWriter output, VerificationReport report)
    {
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Stored 1m candles rolled up to hours against Blofin's 1H candles: {report.Hours} hours, {Utc(report.FromUtc)} to {Utc(report.ToUtc)}; prices exact, volumes within {report.VolumeTolerance:G3} relative."));
        foreach (var symbol in report.Symbols)
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{symbol.InstId}: {symbol.HoursChecked} hours, {symbol.Matched} match, {symbol.Mismatches.Count} differ, {symbol.Incomplete.Count} incomplete"));
            foreach (var hour in symbol.Mismatches)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {Utc(hour.HourUtc)} differs in {string.Join(", ", hour.Differences)}:"));
                foreach (var field in hour.Differences)
                {
                    await output.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"    {field,-12} stored {Value(hour.Stored, field),-24} exchange {Value(hour.Exchange, field)}"));
                }
            }

            foreach (var hour in symbol.Incomplete.Take(IncompleteShown))
            {
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {Utc(hour.HourUtc)} incomplete: {hour.MissingMinutes} minutes neither stored nor proven absent; not compared"));
            }

            if (symbol.Incomplete.Count > IncompleteShown)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  ... and {symbol.Incomplete.Count - IncompleteShown} more incomplete hours"));
            }
        }
    }

    private static string Value(StoredCandle? candle, string field) =>
        candle is null ? "(none)" : candle.Field(field).ToString("R", CultureInfo.InvariantCulture);

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
