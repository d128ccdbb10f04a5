using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Blofin.Backfill.Sync;

/// <summary>Every byte that moves between the database blob and a local file goes through here, so that
/// whole-file transfer can become a block map (only changed chunks, committed atomically) in one place.</summary>
internal static class DatabaseBlobTransfer
{
    private const string ContentType = "application/vnd.sqlite3";

    /// <summary>Downloads the blob into <paramref name="path"/>, only if it still has <paramref name="ifMatch"/>.</summary>
    public static async Task<long> DownloadAsync(BlobClient blob, string path, ETag ifMatch, CancellationToken cancellationToken)
    {
        await blob.DownloadToAsync(path, new BlobDownloadToOptions
        {
            Conditions = new BlobRequestConditions { IfMatch = ifMatch },
        }, cancellationToken);
        return new FileInfo(path).Length;
    }

    /// <summary>Replaces the blob with <paramref name="path"/>, only under the lease and only if the blob still has
    /// <paramref name="ifMatch"/>: a lease can be renewed after it expired (Azurite allows it even after the blob
    /// changed), so the ETag the merge started from is the real guard.</summary>
    public static async Task<(ETag ETag, long Bytes)> UploadAsync(
        BlobClient blob, string path, string leaseId, ETag ifMatch, CancellationToken cancellationToken)
    {
        var response = await blob.UploadAsync(path, new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { LeaseId = leaseId, IfMatch = ifMatch },
            HttpHeaders = new BlobHttpHeaders { ContentType = ContentType },
        }, cancellationToken);
        return (response.Value.ETag, new FileInfo(path).Length);
    }

    /// <summary>Creates the blob from <paramref name="path"/> only if no blob of that name exists
    /// (If-None-Match: *); false when another writer got there first.</summary>
    public static async Task<bool> CreateAsync(BlobClient blob, string path, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(path, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = ContentType },
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // BlobAlreadyExists, ConditionNotMet, or LeaseIdMissing (it exists and is leased): someone else won.
            return false;
        }
    }
}
