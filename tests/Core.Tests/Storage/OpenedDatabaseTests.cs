namespace Blofin.Backfill.Storage;

/// <summary>Tests of one candle database, created in a fresh temporary folder before each test and closed and
/// deleted after it.</summary>
public abstract class OpenedDatabaseTests : IAsyncLifetime
{
    private protected TempFolder Folder { get; } = new();

    private protected CandleDatabase Database { get; private set; } = null!;

    private protected string DatabasePath => Folder.File("candles.db");

    private protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => Database = await CandleDatabase.OpenAsync(DatabasePath, Ct);

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }
}
