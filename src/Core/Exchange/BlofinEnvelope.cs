namespace Blofin.Backfill.Exchange;

/// <summary>The part of every Blofin reply that says whether it worked: <c>code</c> ("0" is success) and <c>msg</c>.</summary>
/// <param name="Code">The code as text, whether Blofin sent it as a string or a number.</param>
/// <param name="Message">The message; may be empty or missing.</param>
internal readonly record struct BlofinEnvelope(string Code, string? Message)
{
    public bool IsSuccess => Code == "0";
}
