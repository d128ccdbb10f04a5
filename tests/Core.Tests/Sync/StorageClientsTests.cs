using Azure.Identity;
using Blofin.Backfill.Testing;
using Microsoft.Extensions.Configuration;

namespace Blofin.Backfill.Sync;

public sealed class StorageClientsTests(AzuriteFixture azurite)
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public void Ctor_ConnectionStringWithEndpoints_UsesThem()
    {
        var clients = new StorageClients(Configuration(new()
        {
            ["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};" +
                "BlobEndpoint=http://127.0.0.1:41000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:41001/devstoreaccount1;",
        }));

        Assert.Equal(new Uri("http://127.0.0.1:41000/devstoreaccount1"), clients.Blobs.Uri);
        Assert.Equal(new Uri("http://127.0.0.1:41001/devstoreaccount1"), clients.Queues.Uri);
        Assert.Equal("devstoreaccount1", clients.Blobs.AccountName);
        Assert.Null(clients.Credential);
    }

    [Fact]
    public void Ctor_UseDevelopmentStorage_UsesTheEmulatorsDefaultEndpoints()
    {
        var clients = new StorageClients(Configuration(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }));

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), clients.Blobs.Uri);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), clients.Queues.Uri);
    }

    [Fact]
    public void Ctor_OnlyConnectionStringsSection_ReadsIt()
    {
        var clients = new StorageClients(Configuration(new() { ["ConnectionStrings:AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }));

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), clients.Blobs.Uri);
    }

    [Fact]
    public void Ctor_IdentityFormFromEnvironmentVariables_UsesTheServiceUrisAndAUserAssignedManagedIdentity()
    {
        // The double-underscore names of the Functions settings, read through the environment provider.
        var prefix = $"T{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            [$"{prefix}AzureWebJobsStorage__blobServiceUri"] = "https://stblofin.blob.core.windows.net",
            [$"{prefix}AzureWebJobsStorage__queueServiceUri"] = "https://stblofin.queue.core.windows.net",
            [$"{prefix}AzureWebJobsStorage__credential"] = "managedidentity",
            [$"{prefix}AzureWebJobsStorage__clientId"] = "00000000-0000-0000-0000-000000000001",
        };
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            var clients = new StorageClients(new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build());

            Assert.Equal(new Uri("https://stblofin.blob.core.windows.net"), clients.Blobs.Uri);
            Assert.Equal(new Uri("https://stblofin.queue.core.windows.net"), clients.Queues.Uri);
            Assert.Equal("stblofin", clients.Blobs.AccountName);
            Assert.IsType<ManagedIdentityCredential>(clients.Credential);
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public void Ctor_IdentityFormWithAccountNameOnly_DerivesBothEndpointsAndUsesTheDefaultCredential()
    {
        var clients = new StorageClients(Configuration(new() { ["AzureWebJobsStorage:accountName"] = "stblofin" }));

        Assert.Equal(new Uri("https://stblofin.blob.core.windows.net"), clients.Blobs.Uri);
        Assert.Equal(new Uri("https://stblofin.queue.core.windows.net"), clients.Queues.Uri);
        Assert.IsType<DefaultAzureCredential>(clients.Credential);
    }

    [Fact]
    public void Ctor_IdentityFormWithBlobUriOnly_DerivesTheQueueUri()
    {
        var clients = new StorageClients(Configuration(new()
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://stblofin.blob.core.windows.net/",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
        }));

        Assert.Equal(new Uri("https://stblofin.queue.core.windows.net/"), clients.Queues.Uri);
        Assert.IsType<ManagedIdentityCredential>(clients.Credential);
    }

    [Fact]
    public void Ctor_NothingConfigured_ThrowsNamingTheSettings()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new StorageClients(Configuration(new())));

        Assert.Contains("'AzureWebJobsStorage'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AzureWebJobsStorage__blobServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_UnknownCredentialKind_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new StorageClients(Configuration(new()
        {
            ["AzureWebJobsStorage:accountName"] = "stblofin",
            ["AzureWebJobsStorage:credential"] = "password",
        })));

        Assert.Contains("AzureWebJobsStorage__credential", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_MalformedConnectionString_ThrowsWithoutEchoingTheKey()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new StorageClients(Configuration(new()
        {
            ["AzureWebJobsStorage"] = "AccountName=x;AccountKey=c2VjcmV0LWtleQ==;this is not a connection string",
        })));

        Assert.Contains("'AzureWebJobsStorage'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LWtleQ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queues_AzuriteConnectionString_SendsMessagesVerbatim()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var queue = await azurite.CreateQueueAsync(cancellationToken: ct);
        var clients = new StorageClients(Configuration(new() { ["AzureWebJobsStorage"] = await azurite.GetConnectionStringAsync(ct) }));

        await clients.Queues.GetQueueClient(queue.Name).SendMessageAsync("""{"instId":"BTC-USDT"}""", ct);

        var message = (await queue.Client.PeekMessageAsync(ct)).Value;
        Assert.Equal("""{"instId":"BTC-USDT"}""", message.Body.ToString());
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
