using Blofin.Backfill.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Sync;

public sealed class DatabaseBlobOptionsTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("Backfill:LeaseDuration", "00:00:05", "LeaseDuration")]
    [InlineData("Backfill:LeaseDuration", "00:02:00", "LeaseDuration")]
    [InlineData("Backfill:Container", "Bad_Container", "Container")]
    [InlineData("Backfill:DatabaseBlob", "", "DatabaseBlob")]
    [InlineData("Backfill:LeaseAcquireTimeout", "00:00:30", "Backfill:LeaseAcquireTimeout")]
    [InlineData("Backfill:LeaseRetryMaxDelay", "00:00:00.050", "Backfill:LeaseRetryMaxDelay")]
    public async Task StartAsync_BadSetting_FailsNamingTheSetting(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key == "Backfill:LeaseAcquireTimeout")
        {
            settings["Backfill:LeaseDuration"] = "00:01:00";
        }

        using var host = BuildHost(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new DatabaseBlobOptions();

        Assert.True(new DatabaseBlobOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(new DatabaseBlobOptionsRules().Validate(null, options).Succeeded);
        Assert.Equal(("candles", "candles.sqlite", TimeSpan.FromSeconds(60)), (options.Container, options.DatabaseBlob, options.LeaseDuration));
    }

    [Fact]
    public async Task AddBlofinBackfill_ConnectionAndSection_ResolvesALeasedDatabaseFileForTheConfiguredBlob()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cache = TempDirectory.Create();
        using var host = BuildHost(new()
        {
            ["AzureWebJobsStorage"] = await azurite.GetConnectionStringAsync(ct),
            ["Backfill:Container"] = "my-candles",
            ["Backfill:DatabaseBlob"] = "db/one.sqlite",
            ["Backfill:CacheDirectory"] = cache.Path,
        });
        await host.StartAsync(ct);

        var file = host.Services.GetRequiredService<LeasedDatabaseFile>();

        Assert.Equal(("my-candles", "db/one.sqlite"), (file.Container, file.Blob));
        Assert.Same(file, host.Services.GetRequiredService<LeasedDatabaseFile>());
        await host.StopAsync(ct);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddBlofinBackfill(builder.Configuration);
        return builder.Build();
    }
}
