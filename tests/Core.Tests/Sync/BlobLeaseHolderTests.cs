using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Blofin.Backfill.SyncWorker;
using Blofin.Backfill.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Blofin.Backfill.Sync;

public sealed class BlobLeaseHolderTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task LostToken_LeaseBrokenAndRenewalRefused_Fires()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.CreateContainerAsync(ct);
        var blob = container.Client.GetBlobClient("held.sqlite");
        await blob.UploadAsync(BinaryData.FromString("x"), ct);
        var client = blob.GetBlobLeaseClient();
        var lease = (await client.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: ct)).Value;
        var time = new FakeTimeProvider();
        await using var holder = new BlobLeaseHolder(
            client, lease.ETag, TimeSpan.FromSeconds(15), time, NullLogger.Instance, container.Name, "held.sqlite");
        await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: ct);

        for (var i = 0; i < 200 && !holder.IsLost; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(25, ct);
        }

        Assert.True(holder.IsLost);
        Assert.True(holder.LostToken.IsCancellationRequested);
        Assert.Throws<LeaseLostSignal>(holder.ThrowIfLost);
    }

    [Fact]
    public async Task MergeAsync_ApplyOutlastingTheLeaseDuration_KeepsTheLeaseByRenewingIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var container = await azurite.ReserveContainerAsync(ct);
        using var cache = TempDirectory.Create();
        await using var file = await SyncTestFiles.CreateAsync(azurite, container.Name, cache.Path, ct);
        await file.GetSnapshotPathAsync(ct);
        RequestFailedException? refusal = null;

        var inserted = await file.MergeAsync(async (path, token) =>
        {
            // Past the 15 s duration, a competitor still finds the lease taken: it was renewed.
            await Task.Delay(TimeSpan.FromSeconds(17), token);
            var competitor = container.Client.GetBlobClient("candles.sqlite").GetBlobLeaseClient();
            try
            {
                await competitor.AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: token);
            }
            catch (RequestFailedException ex)
            {
                refusal = ex;
                return await CandleRows.InsertAsync(path, "BTC-USDT", 1_700_000_040_000, 10, "run", token);
            }

            await competitor.ReleaseAsync(cancellationToken: token);
            throw new InvalidOperationException("The lease ran out while the merge held it: it was not renewed.");
        }, ct);

        Assert.Equal(10, inserted);
        Assert.Equal(BlobErrorCode.LeaseAlreadyPresent.ToString(), refusal?.ErrorCode);
        Assert.Equal(1, file.LastCycle!.Attempts);
    }
}
