using System.Globalization;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Exchange;

/// <summary>Reads each attempt's reply to the end and turns every failure Blofin signals (HTTP status or the
/// envelope's code) into a typed <see cref="BlofinException"/>, inside the retry so the retry decides on types.
/// A 429 or 403 also pauses the <see cref="BlofinRateGate"/>.</summary>
internal sealed class BlofinResponseHandler(BlofinRateGate gate, IOptions<BlofinOptions> options) : DelegatingHandler
{
    /// <summary>The instrument a request asks about, so an unknown-instrument reply can name it.</summary>
    internal static readonly HttpRequestOptionsKey<string> InstIdOption = new("Blofin.InstId");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            // Buffered here, so a body cut short fails this attempt (and is retried) rather than the caller's read.
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            ThrowIfFailed(request, (int)response.StatusCode, body);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private void ThrowIfFailed(HttpRequestMessage request, int status, byte[] body)
    {
        var target = request.RequestUri?.PathAndQuery;
        switch (status)
        {
            case 429:
                throw RateLimited($"Blofin answered HTTP 429 Too Many Requests to {target}", "429", "HTTP 429");
            case 403:
                var resumeAt = gate.Pause(options.Value.BannedPause, "HTTP 403");
                throw new BlofinBannedException(
                    $"Blofin's firewall refused {target} (HTTP 403): the IP is suspended; nothing is sent until {resumeAt:O}. Body: {BlofinResponseReader.Excerpt(body)}",
                    "403",
                    resumeAt);
            case >= 500:
                throw new BlofinServerException(
                    $"Blofin answered HTTP {status} to {target}: {BlofinResponseReader.Excerpt(body)}",
                    status.ToString(CultureInfo.InvariantCulture));
            case < 200 or >= 300:
                throw new BlofinBadParameterException(
                    $"Blofin answered HTTP {status} to {target}: {BlofinResponseReader.Excerpt(body)}",
                    status.ToString(CultureInfo.InvariantCulture));
        }

        var envelope = BlofinResponseReader.ReadEnvelope(body);
        if (envelope.IsSuccess)
        {
            return;
        }

        var code = envelope.Code;
        var described = $"code {code}: {envelope.Message}";
        request.Options.TryGetValue(InstIdOption, out var instId);
        throw code switch
        {
            // One capture shows HTTP 200 carrying code 429: the same as HTTP 429.
            "429" => RateLimited($"Blofin rate-limited {target} ({described})", code, "code 429"),
            "152014" when instId is not null => new BlofinUnknownInstrumentException(instId, code, envelope.Message),
            "152002" when instId is not null && MentionsInstId(envelope.Message) => new BlofinUnknownInstrumentException(instId, code, envelope.Message),
            _ when IsServerCode(code) => new BlofinServerException($"Blofin failed on {target} ({described})", code),
            _ => new BlofinBadParameterException($"Blofin refused {target} ({described})", code),
        };
    }

    private BlofinRateLimitedException RateLimited(string what, string code, string signal)
    {
        var resumeAt = gate.Pause(options.Value.RateLimitedPause, signal);
        return new BlofinRateLimitedException($"{what}; nothing is sent until {resumeAt:O}.", code, resumeAt);
    }

    private static bool MentionsInstId(string? message) =>
        message is not null && message.Contains("instId", StringComparison.OrdinalIgnoreCase);

    /// <summary>Code 500 ("Internal Server Error") and its 5xx kin, however sent.</summary>
    private static bool IsServerCode(string code) =>
        int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 500 and < 600;
}
