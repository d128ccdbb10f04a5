using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace Blofin.Backfill.Exchange;

/// <summary>Blofin's public market data over HTTP: candle pages and the instrument list. Registered as a typed
/// <see cref="HttpClient"/> whose handlers retry, time out each attempt and wait at the process-wide rate gate.</summary>
public sealed class BlofinClient(HttpClient httpClient, ILogger<BlofinClient> logger, TimeProvider timeProvider)
{
    private const string CandlesPath = "/api/v1/market/candles";
    private const string InstrumentsPath = "/api/v1/market/instruments";

    /// <summary>One page of candles, newest first exactly as served, every row validated. The still-forming candle
    /// is included with <see cref="Candle.IsConfirmed"/> false; callers drop it.</summary>
    /// <exception cref="BlofinException">The exchange refused or failed the request; see the subclass.</exception>
    public async Task<IReadOnlyList<Candle>> GetCandlesAsync(CandleQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var started = timeProvider.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Get, CandlesUri(query));
        request.Options.Set(BlofinResponseHandler.InstIdOption, query.InstId);
        var body = await SendAsync(request, cancellationToken);
        var candles = BlofinResponseReader.ReadCandles(body, query);
        var elapsedMs = ElapsedMs(started);
        Log.CandlesFetched(logger, query.InstId, query.Bar.Name, query.AfterMs, query.BeforeMs, candles.Count, elapsedMs);
        return candles;
    }

    /// <summary>Every instrument Blofin lists, whatever its state.</summary>
    /// <exception cref="BlofinException">The exchange refused or failed the request; see the subclass.</exception>
    public async Task<IReadOnlyList<Instrument>> GetInstrumentsAsync(CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(InstrumentsPath, UriKind.Relative));
        var body = await SendAsync(request, cancellationToken);
        var instruments = BlofinResponseReader.ReadInstruments(body);
        var elapsedMs = ElapsedMs(started);
        Log.InstrumentsFetched(logger, instruments.Count, elapsedMs);
        return instruments;
    }

    internal static Uri CandlesUri(CandleQuery query)
    {
        var uri = new StringBuilder(CandlesPath, 128)
            .Append("?instId=").Append(Uri.EscapeDataString(query.InstId))
            .Append("&bar=").Append(Uri.EscapeDataString(query.Bar.Name));
        if (query.AfterMs is { } after)
        {
            uri.Append(CultureInfo.InvariantCulture, $"&after={after}");
        }

        if (query.BeforeMs is { } before)
        {
            uri.Append(CultureInfo.InvariantCulture, $"&before={before}");
        }

        uri.Append(CultureInfo.InvariantCulture, $"&limit={query.Limit}");
        return new Uri(uri.ToString(), UriKind.Relative);
    }

    private async Task<byte[]> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            // The handlers have read the body and turned every failure into a BlofinException.
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new BlofinUnavailableException($"Blofin did not answer {request.RequestUri} in time, on any attempt.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new BlofinUnavailableException($"Blofin could not be reached for {request.RequestUri}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new BlofinUnavailableException($"The connection to Blofin failed during {request.RequestUri}: {ex.Message}", ex);
        }
    }

    private long ElapsedMs(long started) => (long)timeProvider.GetElapsedTime(started).TotalMilliseconds;
}
