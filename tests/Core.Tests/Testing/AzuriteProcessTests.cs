using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Storage.Blobs;

namespace Blofin.Backfill.Testing;

/// <summary>The fixture's own start path, which scripts/test.sh bypasses by handing over its Azurite.</summary>
public sealed class AzuriteProcessTests
{
    [Fact]
    public async Task StartAsync_FromTheRepositorysNodeModules_ServesBlobsAndIsGoneAfterDispose()
    {
        var ct = TestContext.Current.CancellationToken;
        var azurite = await AzuriteProcess.StartAsync(ct);
        var processId = azurite.ProcessId;
        var service = new BlobServiceClient(azurite.ConnectionString);
        var blobPort = service.Uri.Port;
        try
        {
            var container = service.GetBlobContainerClient(AzuriteFixture.RandomName("probe"));
            await container.CreateAsync(cancellationToken: ct);
            Assert.True(await container.ExistsAsync(ct));
            Assert.Equal(IPAddress.Loopback.ToString(), service.Uri.Host);
        }
        finally
        {
            await azurite.DisposeAsync();
        }

        Assert.Throws<ArgumentException>(() => Process.GetProcessById(processId));
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, blobPort, ct).AsTask());
    }

    [Fact]
    public async Task StartAsync_NoNodeModules_FailsSayingToRunNpmCi()
    {
        using var root = TempDirectory.Create();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AzuriteProcess.StartAsync(root.Path, TestContext.Current.CancellationToken));

        Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        Assert.Contains(root.Path, error.Message, StringComparison.Ordinal);
    }
}
