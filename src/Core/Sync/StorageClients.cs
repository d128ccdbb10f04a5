using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace Blofin.Backfill.Sync;

/// <summary>The blob and queue clients of the storage account named by the <c>AzureWebJobsStorage</c>
/// connection, read the way the Functions host reads it: a connection string, or the identity form.</summary>
/// <remarks>
/// Connection string: <c>AzureWebJobsStorage</c> (or <c>ConnectionStrings:AzureWebJobsStorage</c>), including
/// <c>UseDevelopmentStorage=true</c>. Identity form: <c>AzureWebJobsStorage__blobServiceUri</c> and
/// <c>__queueServiceUri</c> (or <c>__accountName</c> alone), with <c>__credential=managedidentity</c> and an
/// optional <c>__clientId</c> for a user-assigned identity; without <c>__credential</c> the chain of
/// <see cref="DefaultAzureCredential"/> is used (a developer's sign-in, locally).
/// </remarks>
public sealed class StorageClients
{
    public const string ConnectionName = "AzureWebJobsStorage";

    public StorageClients(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // The Functions host (and so the queue trigger) reads messages verbatim: host.json says "messageEncoding": "none".
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        var blobOptions = new BlobClientOptions();

        var connectionString = configuration[ConnectionName];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = configuration.GetConnectionString(ConnectionName);
        }

        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                Blobs = new BlobServiceClient(connectionString, blobOptions);
                Queues = new QueueServiceClient(connectionString, queueOptions);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                // The message must not echo the connection string: it holds the account key.
                throw new InvalidOperationException(
                    $"The storage connection string in '{ConnectionName}' cannot be used: {ex.GetType().Name}. " +
                    "It needs a blob and a queue endpoint (or an account name and key, or UseDevelopmentStorage=true).", ex);
            }

            return;
        }

        var section = configuration.GetSection(ConnectionName);
        var accountName = section["accountName"];
        var blobUri = ReadUri(section, "blobServiceUri") ?? ReadUri(section, "serviceUri")
            ?? (string.IsNullOrWhiteSpace(accountName) ? null : new Uri($"https://{accountName}.blob.core.windows.net"));
        if (blobUri is null)
        {
            throw new InvalidOperationException(
                $"No storage connection is configured: set '{ConnectionName}' to a connection string (UseDevelopmentStorage=true locally), " +
                $"or '{ConnectionName}__blobServiceUri' and '{ConnectionName}__queueServiceUri' (or '{ConnectionName}__accountName') for an identity-based connection.");
        }

        var queueUri = ReadUri(section, "queueServiceUri")
            ?? (string.IsNullOrWhiteSpace(accountName) ? null : new Uri($"https://{accountName}.queue.core.windows.net"))
            ?? QueueUriBeside(blobUri)
            ?? throw new InvalidOperationException(
                $"'{ConnectionName}__queueServiceUri' is not set and cannot be derived from '{ConnectionName}__blobServiceUri' ({blobUri}); set it.");

        Credential = CreateCredential(section);
        Blobs = new BlobServiceClient(blobUri, Credential, blobOptions);
        Queues = new QueueServiceClient(queueUri, Credential, queueOptions);
    }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    /// <summary>The token credential of the identity form; null for a connection string.</summary>
    internal TokenCredential? Credential { get; }

    private static TokenCredential CreateCredential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        var credential = section["credential"];
        if (string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrWhiteSpace(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        if (!string.IsNullOrWhiteSpace(credential))
        {
            throw new InvalidOperationException(
                $"'{ConnectionName}__credential' is '{credential}'; only 'managedidentity' is supported (leave it unset for the default credential chain).");
        }

        var options = new DefaultAzureCredentialOptions();
        if (!string.IsNullOrWhiteSpace(clientId))
        {
            options.ManagedIdentityClientId = clientId;
        }

        return new DefaultAzureCredential(options);
    }

    private static Uri? ReadUri(IConfigurationSection section, string key)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new InvalidOperationException($"'{ConnectionName}__{key}' is not an absolute http(s) URI: '{value}'.");
    }

    private static Uri? QueueUriBeside(Uri blobUri)
    {
        const string BlobLabel = ".blob.";
        var host = blobUri.Host;
        var at = host.IndexOf(BlobLabel, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var builder = new UriBuilder(blobUri) { Host = string.Concat(host.AsSpan(0, at), ".queue.", host.AsSpan(at + BlobLabel.Length)) };
        return builder.Uri;
    }
}
