using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Functions.Testing;

/// <summary>One in-process app over the <see cref="CoverageDatabase"/> blob, shared by a test class's read-only tests.</summary>
public sealed class SeededCoverageApp(AzuriteFixture azurite) : IAsyncLifetime
{
    private InProcessFunctionsApp? _app;

    internal InProcessFunctionsApp App => _app ?? throw new InvalidOperationException("The app has not started.");

    public async ValueTask InitializeAsync()
    {
        _app = await InProcessFunctionsApp.StartAsync(azurite);
        await CoverageDatabase.SeedAsync(_app, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
