namespace Blofin.Simulator;

/// <summary>A failure the simulator can serve instead of a market reply.</summary>
public enum SimulatedFault
{
    /// <summary>HTTP 500 with a JSON body.</summary>
    ServerError,

    /// <summary>HTTP 200 with <c>{"code":500,"msg":"Internal Server Error"}</c> (code as a number, as one documented body).</summary>
    ServerErrorBody,

    /// <summary>HTTP 429 with code 429, without suspending the client.</summary>
    RateLimited,

    /// <summary>HTTP 200 with code 429 in the body (seen once in a capture).</summary>
    RateLimitedBody,

    /// <summary>HTTP 403 from the firewall, without suspending the client.</summary>
    Banned,

    /// <summary>HTTP 200 with an HTML page instead of JSON.</summary>
    MalformedBody,

    /// <summary>The real reply cut in half, served as if complete.</summary>
    TruncatedBody,

    /// <summary>A candles reply whose newest row has its low above its high.</summary>
    InvalidRow,

    /// <summary>The real reply after <see cref="SimulatorOptions.SlowResponseDelay"/> on the simulator's clock.</summary>
    SlowResponse,
}
