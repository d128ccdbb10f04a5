using Microsoft.Azure.Functions.Worker.Http;

namespace Blofin.Backfill.Functions.Testing;

/// <summary>Response cookies, which the coverage functions never set.</summary>
internal sealed class TestHttpCookies : HttpCookies
{
    public override void Append(string name, string value) => throw new NotSupportedException("The coverage functions set no cookies.");

    public override void Append(IHttpCookie cookie) => throw new NotSupportedException("The coverage functions set no cookies.");

    public override IHttpCookie CreateNew() => throw new NotSupportedException("The coverage functions set no cookies.");
}
