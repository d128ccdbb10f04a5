using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Exchange;

public sealed class BlofinOptionsTests
{
    [Theory]
    [InlineData("SafetyMargin", "2", "SafetyMargin")]
    [InlineData("AttemptTimeout", "00:00:00", "AttemptTimeout")]
    [InlineData("MaxRetries", "-1", "MaxRetries")]
    [InlineData("LongWindow", "00:00:30", "LongWindow")]
    [InlineData("BaseUrl", "ftp://example.com", "BaseUrl")]
    [InlineData("ShortWindowLimit", "1", "ShortWindowLimit")]
    public async Task StartAsync_BadSetting_FailsNamingTheSetting(string key, string value, string named)
    {
        using var host = BuildHost(new Dictionary<string, string?> { [$"Blofin:{key}"] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_Defaults_StartsAndResolvesTheClient()
    {
        using var host = BuildHost([]);

        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(host.Services.GetRequiredService<BlofinClient>());
        Assert.Equal(new Uri("https://openapi.blofin.com"), host.Services.GetRequiredService<IOptions<BlofinOptions>>().Value.BaseUrl);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddBlofinExchange(builder.Configuration);
        return builder.Build();
    }
}
