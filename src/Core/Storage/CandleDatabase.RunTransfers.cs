namespace Blofin.Backfill.Storage;

// What the blob upload that carried a run moved, in the run's own row.
public sealed partial class CandleDatabase
{
    /// <summary>The highest run id recorded so far, 0 when none: every run recorded after this call has a larger id.</summary>
    public async Task<long> GetLastRunIdAsync(CancellationToken cancellationToken)
    {
        using var scope = await LockAsync(cancellationToken);
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(id), 0) FROM gap_fill_runs";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Writes what the database blob's upload moved into the runs with ids after <paramref name="afterId"/>
    /// up to <paramref name="throughId"/> (the runs that upload carries), in one statement.</summary>
    /// <returns>The number of runs updated.</returns>
    public async Task<int> SetRunTransferAsync(
        long afterId,
        long throughId,
        long bytesDownloaded,
        long bytesUploaded,
        int blocksStaged,
        int blocksReused,
        long fileBytes,
        CancellationToken cancellationToken)
    {
        using var scope = await LockAsync(cancellationToken);
        ThrowIfReadOnly();
        await using var command = _connection.CreateCommand();
        command.CommandText = """
            UPDATE gap_fill_runs
            SET bytes_downloaded = $bytes_downloaded, bytes_uploaded = $bytes_uploaded, blocks_staged = $blocks_staged,
                blocks_reused = $blocks_reused, file_bytes = $file_bytes
            WHERE id > $after_id AND id <= $through_id
            """;
        var p = command.Parameters;
        p.AddWithValue("$after_id", afterId);
        p.AddWithValue("$through_id", throughId);
        p.AddWithValue("$bytes_downloaded", bytesDownloaded);
        p.AddWithValue("$bytes_uploaded", bytesUploaded);
        p.AddWithValue("$blocks_staged", blocksStaged);
        p.AddWithValue("$blocks_reused", blocksReused);
        p.AddWithValue("$file_bytes", fileBytes);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
