using Blofin.Backfill.Backfill;
using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Storage;

namespace Blofin.Backfill.Functions.Testing;

/// <summary>A blob database with known coverage for the HTTP functions to report: BTC-USDT filled by the queue
/// function over the whole week, ETH-USDT holding only the week's first <see cref="EthPresent"/> minutes.</summary>
internal static class CoverageDatabase
{
    public const int WeekOfMinutes = 10_081;

    public const int EthPresent = 5_000;

    public static CoverageWindow Week => CoverageWindow.ForRun(InProcessFunctionsApp.Start, Bar.OneMinute, 168);

    public static async Task SeedAsync(InProcessFunctionsApp app, CancellationToken cancellationToken)
    {
        await app.Activate<BackfillSymbol>().RunAsync("BTC-USDT", dequeueCount: 1, cancellationToken);
        var eth = app.Candles("ETH-USDT", Enumerable.Range(0, EthPresent).Select(i => Week.StartMs + (i * 60_000L)));
        await app.Get<ICandleStore>().WriteAsync((database, ct) => database.InsertMissingAsync("ETH-USDT", Bar.OneMinute, eth, ct), cancellationToken);
    }

    /// <summary>A GET of <paramref name="pathAndQuery"/> as the worker hands it to a function.</summary>
    public static TestHttpRequestData Get(InProcessFunctionsApp app, string pathAndQuery) =>
        new(new TestFunctionContext(app.Services), new Uri(new Uri("http://localhost:7071"), pathAndQuery));
}
