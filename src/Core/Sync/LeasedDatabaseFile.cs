using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Sync;

/// <summary>The SQLite database kept in a blob: read from a local cached copy, written only under the blob's
/// lease, with concurrent merges of one process sharing one lease cycle (group commit).</summary>
/// <remarks>
/// A merge cycle: take the lease (waiting with jittered backoff while another holder has it, up to
/// <see cref="DatabaseBlobOptions.LeaseAcquireTimeout"/>), renew it in the background, bring the cached copy up
/// to date only when its ETag differs from the blob's (fetching only the blocks that changed), run every waiting
/// caller's apply in order on a working copy, fold the file into one self-contained file and quick_check it,
/// stage its changed blocks and commit the block list under the lease and If-Match the ETag the cycle started
/// from, make it the cached copy, release. A lost lease writes nothing and starts the cycle over, applies
/// included, so an apply must be idempotent. See <see cref="DatabaseBlobTransfer"/> for the block map.
/// </remarks>
public sealed class LeasedDatabaseFile : IAsyncDisposable
{
    private const int MaxCreateTries = 3;
    private const int MaxSnapshotTries = 5;
    private const int MaxRecordRounds = 3;

    private readonly DatabaseBlobOptions _options;
    private readonly BlobContainerClient _container;
    private readonly BlockBlobClient _blob;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<LeasedDatabaseFile> _logger;
    private readonly DatabaseCache _cache;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _gate = new();
    private readonly List<PendingMerge> _pending = [];
    private Task _runner = Task.CompletedTask;
    private bool _running;
    private bool _disposed;
    private MergeCycleStatistics? _lastCycle;
    private DatabaseSyncTotals _totals = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public LeasedDatabaseFile(
        StorageClients clients, IOptions<DatabaseBlobOptions> options, TimeProvider timeProvider, ILogger<LeasedDatabaseFile> logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);

        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _container = clients.Blobs.GetBlobContainerClient(_options.Container);
        _blob = _container.GetBlockBlobClient(_options.DatabaseBlob);
        var cacheFolder = Path.Combine(_options.CacheDirectory, _blob.AccountName, _options.Container);
        _cache = new DatabaseCache(cacheFolder, _options.DatabaseBlob.Replace('/', '_').Replace('\\', '_'), timeProvider);
    }

    /// <summary>The container holding the database blob.</summary>
    public string Container => _options.Container;

    /// <summary>The database blob's name.</summary>
    public string Blob => _options.DatabaseBlob;

    /// <summary>How the file is cut into blocks; tests make it small.</summary>
    internal BlockSizePolicy BlockSizes { get; set; } = BlockSizePolicy.Default;

    /// <summary>The figures of the last finished lease cycle; null before the first.</summary>
    public MergeCycleStatistics? LastCycle
    {
        get
        {
            lock (_gate)
            {
                return _lastCycle;
            }
        }
    }

    /// <summary>Running totals since this instance was created.</summary>
    public DatabaseSyncTotals Totals
    {
        get
        {
            lock (_gate)
            {
                return _totals;
            }
        }
    }

    /// <summary>The path of the local cached copy, for planning: downloaded once when there is none, else
    /// returned as it is (the data only grows, so a stale copy can only over-fetch). Open it read-only,
    /// and do not keep it open: a merge replaces the file.</summary>
    /// <exception cref="CorruptDatabaseBlobException">The blob is not a valid SQLite database.</exception>
    public async Task<string> GetSnapshotPathAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_cache.HasCopy)
        {
            return _cache.DatabasePath;
        }

        await using (await _cache.LockAsync(cancellationToken))
        {
            for (var tries = 1; !_cache.HasCopy; tries++)
            {
                ETag etag;
                try
                {
                    etag = (await _blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
                }
                catch (RequestFailedException ex) when (ex.Status == 404 && tries < MaxCreateTries)
                {
                    await EnsureCreatedAsync(cancellationToken);
                    continue;
                }

                try
                {
                    var download = await DownloadIntoCacheAsync(etag, leaseId: null, cancellationToken);
                    AddToTotals(new DatabaseSyncTotals(0, 0, 0, 0, 0, download.BytesDownloaded, 0));
                }
                catch (RequestFailedException ex) when (ex.Status == 412 && tries < MaxSnapshotTries)
                {
                    // Someone uploaded between the two calls: read the new version.
                }
            }
        }

        return _cache.DatabasePath;
    }

    /// <summary>The path of the local cached copy brought up to the blob's current version, for reads that must
    /// be current (a coverage report): one properties request (HEAD) when the copy is current, a download only when
    /// the blob's ETag changed. Takes no lease, so it never waits for another holder of the lease (only, when the
    /// copy is stale, for a merge cycle of this instance that holds the local copy). Open it read-only, and do not
    /// keep it open.</summary>
    /// <exception cref="CorruptDatabaseBlobException">The blob is not a valid SQLite database.</exception>
    public async Task<string> GetCurrentSnapshotPathAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var tries = 1; ; tries++)
        {
            ETag etag;
            try
            {
                etag = (await _blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // No blob yet: the plain snapshot creates the empty database.
                return await GetSnapshotPathAsync(cancellationToken);
            }

            if (_cache.IsCurrent(etag))
            {
                return _cache.DatabasePath;
            }

            await using (await _cache.LockAsync(cancellationToken))
            {
                // A merge or another reader may have brought the copy up to date while this one waited.
                if (_cache.IsCurrent(etag))
                {
                    return _cache.DatabasePath;
                }

                try
                {
                    var download = await DownloadIntoCacheAsync(etag, leaseId: null, cancellationToken);
                    AddToTotals(new DatabaseSyncTotals(0, 0, 0, 0, 0, download.BytesDownloaded, 0));
                    return _cache.DatabasePath;
                }
                catch (RequestFailedException ex) when (ex.Status == 412 && tries < MaxSnapshotTries)
                {
                    // Someone uploaded between the two calls: read the new version.
                }
            }
        }
    }

    /// <summary>Merges into the blob: <paramref name="apply"/> opens the SQLite file at the path it is given,
    /// writes, and disposes its connections before it returns. It runs under the lease, possibly several times
    /// (after a lost lease, or when another apply of the same cycle fails), so it must be idempotent. The
    /// returned task completes only after the upload that carries its changes succeeded.</summary>
    /// <exception cref="DatabaseLeaseTimeoutException">Another holder kept the lease past the deadline.</exception>
    /// <exception cref="DatabaseLeaseLostException">The lease was lost on every attempt.</exception>
    /// <exception cref="CorruptDatabaseBlobException">The blob is not a valid SQLite database.</exception>
    public async Task<T> MergeAsync<T>(Func<string, CancellationToken, Task<T>> apply, CancellationToken cancellationToken) =>
        (await MergeWithTransferAsync(apply, cancellationToken)).Value;

    /// <summary>Merges like <see cref="MergeAsync{T}"/>, and also says what the upload that carried the changes
    /// moved (bytes each way, blocks staged and reused, the file's size).</summary>
    /// <inheritdoc cref="MergeAsync{T}" path="/exception"/>
    public Task<MergeResult<T>> MergeWithTransferAsync<T>(Func<string, CancellationToken, Task<T>> apply, CancellationToken cancellationToken) =>
        MergeWithTransferAsync(apply, record: null, cancellationToken);

    /// <summary>Merges like <see cref="MergeWithTransferAsync{T}(Func{string, CancellationToken, Task{T}}, CancellationToken)"/>;
    /// <paramref name="record"/>, when given, runs on the working copy after the applies and before the upload, with
    /// the figures that upload will have, to write them into the file it carries (the run rows the apply wrote). It
    /// must change only what it records, in place, and dispose its connections; it runs again when writing the
    /// figures changed which blocks move (then the figures are those of the upload as planned after the last run).</summary>
    /// <inheritdoc cref="MergeAsync{T}" path="/exception"/>
    public async Task<MergeResult<T>> MergeWithTransferAsync<T>(
        Func<string, CancellationToken, Task<T>> apply,
        Func<string, SyncTransfer, CancellationToken, Task>? record,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apply);
        cancellationToken.ThrowIfCancellationRequested();

        var pending = new PendingMerge(async (path, token) => await apply(path, token), record, cancellationToken);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _pending.Add(pending);
            if (!_running)
            {
                _running = true;
                _runner = Task.Run(RunCyclesAsync, CancellationToken.None);
            }
        }

        // A caller that gives up stops waiting at once; changes its apply already made may still be uploaded
        // with the others of its cycle, which is harmless because merges only add what is missing.
        var value = (T)(await pending.Completion.WaitAsync(cancellationToken))!;
        return new MergeResult<T>(value, pending.Transfer!);
    }

    public async ValueTask DisposeAsync()
    {
        Task runner;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            runner = _runner;
        }

        await _disposing.CancelAsync();
        await runner;
        lock (_gate)
        {
            foreach (var pending in _pending)
            {
                pending.Fail(new ObjectDisposedException(nameof(LeasedDatabaseFile)));
            }

            _pending.Clear();
        }

        _disposing.Dispose();
        _cache.Dispose();
    }

    private async Task RunCyclesAsync()
    {
        while (true)
        {
            lock (_gate)
            {
                if (_pending.Count == 0 || _disposed)
                {
                    _running = false;
                    return;
                }
            }

            await RunCycleAsync();
        }
    }

    private async Task RunCycleAsync()
    {
        var counters = new CycleCounters();
        var startedAt = _timeProvider.GetTimestamp();
        var members = new List<PendingMerge>();
        var token = _disposing.Token;
        Exception? failure = null;
        try
        {
            await using (await _cache.LockAsync(token))
            {
                while (true)
                {
                    TakePending(members, counters);
                    if (members.Count == 0 || await TryMergeOnceAsync(members, counters, token))
                    {
                        break;
                    }

                    if (counters.Attempts >= _options.MaxMergeAttempts)
                    {
                        throw new DatabaseLeaseLostException(
                            $"The lease on '{Container}/{Blob}' was lost on each of {counters.Attempts} attempts; nothing was merged.");
                    }
                }
            }
        }
        catch (Exception ex)
        {
            // Every failure the cycle cannot pin on one apply (no lease in time, a corrupt blob, storage errors,
            // shutdown) is every member's failure: they keep their rows and may merge again (merges are idempotent).
            failure = ex;
            if (members.Count > 0 && !token.IsCancellationRequested)
            {
                Log.CycleFailed(_logger, Container, Blob, members.Count, ex);
            }

            counters.Failed += members.Count;
        }

        // The figures are in place before any caller hears back.
        var cycle = counters.Attempts > 0 || counters.Failed > 0
            ? RecordCycle(counters, _timeProvider.GetElapsedTime(startedAt))
            : null;
        var transfer = cycle?.ToTransfer() ?? new SyncTransfer(0, 0, 0, 0, 0, 0);

        foreach (var member in members)
        {
            if (failure is null)
            {
                member.Succeed(transfer);
            }
            else
            {
                member.Fail(failure);
            }
        }
    }

    /// <summary>One attempt under one lease: true when done (uploaded, or nothing left to merge), false
    /// when the lease was lost and nothing was written.</summary>
    private async Task<bool> TryMergeOnceAsync(List<PendingMerge> members, CycleCounters counters, CancellationToken cancellationToken)
    {
        await using var lease = await AcquireLeaseAsync(members, counters, cancellationToken);
        counters.Attempts++;
        string? work = null;
        var uploaded = false;
        try
        {
            BlockMap? committed;
            if (_cache.IsCurrent(lease.BlobETag))
            {
                Log.CacheCurrent(_logger, Container, Blob, lease.BlobETag.ToString());
                committed = _cache.ReadBlockMap(lease.BlobETag);
            }
            else
            {
                var download = await DownloadIntoCacheAsync(lease.BlobETag, lease.LeaseId, cancellationToken);
                counters.BytesDownloaded += download.BytesDownloaded;
                committed = download.Map;
            }

            work = await ApplyAllAsync(members, counters, lease, cancellationToken);
            if (work is null)
            {
                await lease.ReleaseAsync(cancellationToken);
                return true;
            }

            var problem = await SqliteDatabaseFile.FinishAsync(work, cancellationToken);
            if (problem is not null)
            {
                throw new InvalidDataException(
                    $"The merged copy of '{Container}/{Blob}' failed its integrity check ({problem}); nothing was uploaded.");
            }

            lease.ThrowIfLost();
            // A copy cached by an older build has no block list beside it: ask the blob which blocks it has.
            committed ??= await DatabaseBlobTransfer.GetBlockMapAsync(_blob, lease.BlobETag, lease.LeaseId, cancellationToken);
            var plan = await DatabaseBlobTransfer.PlanUploadAsync(work, committed, BlockSizes, cancellationToken);
            plan = await RecordTransferAsync(members, counters, work, plan, committed, lease, cancellationToken);
            lease.ThrowIfLost();
            var upload = await DatabaseBlobTransfer.UploadAsync(_blob, work, plan, lease.LeaseId, lease.BlobETag, cancellationToken);
            uploaded = true;
            counters.BytesUploaded += upload.BytesUploaded;
            counters.BlocksStaged += upload.BlocksStaged;
            counters.BlocksReused += upload.BlocksReused;
            counters.FileBytes = upload.Map.Length;
            _cache.Replace(work, upload.ETag, upload.Map);
            work = null;
            if (committed.BlockSize != upload.Map.BlockSize && committed.Length > 0)
            {
                Log.Remapped(_logger, Container, Blob, committed.BlockSize ?? 0, upload.Map.BlockSize ?? 0, upload.BlocksStaged);
            }

            Log.Uploaded(_logger, upload.BytesUploaded, upload.BlocksStaged, upload.BlocksReused, Container, Blob, upload.Map.Length, upload.ETag.ToString());

            counters.Merges += members.Count;
            await lease.ReleaseAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (!uploaded && IsLeaseLost(ex, lease, cancellationToken))
        {
            Log.MergeLeaseLost(_logger, Container, Blob, counters.Attempts, ex);
            return false;
        }
        finally
        {
            if (work is not null)
            {
                SqliteConnection.ClearAllPools();
                DatabaseCache.Delete(work);
            }
        }
    }

    /// <summary>Lets the members that record the upload's figures write them into the working copy, then plans the
    /// upload again; repeats while writing the figures changed them (the row's page is nearly always among the
    /// changed blocks already, so one round settles it), at most <see cref="MaxRecordRounds"/> times.</summary>
    private async Task<UploadPlan> RecordTransferAsync(
        List<PendingMerge> members, CycleCounters counters, string work, UploadPlan plan, BlockMap committed, BlobLeaseHolder lease,
        CancellationToken cancellationToken)
    {
        if (plan.Unchanged || !members.Exists(m => m.Record is not null))
        {
            return plan;
        }

        for (var round = 1; round <= MaxRecordRounds; round++)
        {
            var figures = new SyncTransfer(counters.BytesDownloaded, plan.BytesToStage, plan.Stage.Count, plan.BlocksReused, plan.Map.Length, members.Count);
            using var recordCancellation = CancellationTokenSource.CreateLinkedTokenSource(lease.LostToken, cancellationToken);
            foreach (var member in members)
            {
                if (member.Record is { } record)
                {
                    await record(work, figures, recordCancellation.Token);
                }
            }

            SqliteConnection.ClearAllPools();
            // Checked after the applies; the figures change rows in place, so folding the journal back is enough.
            await SqliteDatabaseFile.FinishAsync(work, quickCheck: false, cancellationToken);
            var next = await DatabaseBlobTransfer.PlanUploadAsync(work, committed, BlockSizes, cancellationToken);
            var settled = next.BytesToStage == figures.BytesUploaded && next.Stage.Count == figures.BlocksStaged
                && next.BlocksReused == figures.BlocksReused && next.Map.Length == figures.FileBytes;
            plan = next;
            if (settled)
            {
                return plan;
            }
        }

        Log.RecordedFiguresUnsettled(_logger, Container, Blob, MaxRecordRounds);
        return plan;
    }

    /// <summary>Runs the members' applies in order on a fresh working copy, taking in callers that arrive
    /// meanwhile. An apply that fails drops out, and the others run again on a fresh copy, since it may
    /// have written part of its changes. Returns the working copy, or null when no member is left.</summary>
    private async Task<string?> ApplyAllAsync(
        List<PendingMerge> members, CycleCounters counters, BlobLeaseHolder lease, CancellationToken cancellationToken)
    {
        var work = _cache.CreateWorkingCopy();
        try
        {
            var next = 0;
            while (true)
            {
                if (next == members.Count)
                {
                    TakePending(members, counters);
                    if (next == members.Count)
                    {
                        break;
                    }
                }

                var member = members[next];
                if (member.CancellationToken.IsCancellationRequested)
                {
                    // Not applied to this copy yet: dropping it needs no fresh copy.
                    members.RemoveAt(next);
                    member.Fail(new OperationCanceledException(member.CancellationToken));
                    counters.Failed++;
                    continue;
                }

                using var applyCancellation = CancellationTokenSource.CreateLinkedTokenSource(
                    member.CancellationToken, lease.LostToken, cancellationToken);
                try
                {
                    member.Result = await member.Apply(work, applyCancellation.Token);
                    next++;
                }
                catch (Exception ex) when (!lease.IsLost && !cancellationToken.IsCancellationRequested)
                {
                    Log.ApplyFailed(_logger, Container, Blob, ex);
                    members.RemoveAt(next);
                    member.Fail(ex);
                    counters.Failed++;
                    SqliteConnection.ClearAllPools();
                    DatabaseCache.Delete(work);
                    work = _cache.CreateWorkingCopy();
                    next = 0;
                }
            }

            // Pooled connections would keep the file open (and, once it is renamed, point at the cached copy).
            SqliteConnection.ClearAllPools();
            if (members.Count == 0)
            {
                DatabaseCache.Delete(work);
                return null;
            }

            return work;
        }
        catch
        {
            SqliteConnection.ClearAllPools();
            DatabaseCache.Delete(work);
            throw;
        }
    }

    private async Task<BlobLeaseHolder> AcquireLeaseAsync(List<PendingMerge> members, CycleCounters counters, CancellationToken cancellationToken)
    {
        var startedAt = _timeProvider.GetTimestamp();
        var delay = _options.LeaseRetryDelay;
        var waits = 0;
        var creates = 0;
        while (true)
        {
            var client = _blob.GetBlobLeaseClient();
            try
            {
                var lease = (await client.AcquireAsync(_options.LeaseDuration, cancellationToken: cancellationToken)).Value;
                var waited = _timeProvider.GetElapsedTime(startedAt);
                counters.LeaseWaits += waits;
                counters.LeaseWaitTime += waited;
                Log.LeaseAcquired(_logger, Container, Blob, waits, (long)waited.TotalMilliseconds);
                return new BlobLeaseHolder(client, lease.ETag, _options.LeaseDuration, _timeProvider, _logger, Container, Blob);
            }
            catch (RequestFailedException ex) when (ex.Status == 404 && creates < MaxCreateTries)
            {
                creates++;
                await EnsureCreatedAsync(cancellationToken);
            }
            catch (RequestFailedException ex) when (Is(ex, BlobErrorCode.LeaseAlreadyPresent) || Is(ex, BlobErrorCode.LeaseIsBreakingAndCannotBeAcquired))
            {
                waits++;
                var waited = _timeProvider.GetElapsedTime(startedAt);
                if (waited >= _options.LeaseAcquireTimeout)
                {
                    counters.LeaseWaits += waits;
                    counters.LeaseWaitTime += waited;
                    throw new DatabaseLeaseTimeoutException(Container, Blob, waits, waited);
                }

                if (members.TrueForAll(m => m.CancellationToken.IsCancellationRequested))
                {
                    throw new OperationCanceledException("Every caller of this merge cycle cancelled while it waited for the lease.");
                }

                var wait = Jitter(delay);
                var left = _options.LeaseAcquireTimeout - waited;
                wait = wait < left ? wait : left;
                Log.LeaseBusy(_logger, Container, Blob, (long)wait.TotalMilliseconds);
                await Task.Delay(wait, _timeProvider, cancellationToken);
                delay = delay * 2 < _options.LeaseRetryMaxDelay ? delay * 2 : _options.LeaseRetryMaxDelay;
            }
        }
    }

    /// <summary>Creates the container and an empty database blob unless they exist; two starters racing
    /// cannot clobber each other (If-None-Match: *).</summary>
    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var empty = _cache.NewTempPath("empty");
        try
        {
            SqliteDatabaseFile.CreateEmpty(empty);
            if (await DatabaseBlobTransfer.CreateAsync(_blob, empty, BlockSizes, cancellationToken))
            {
                Log.Created(_logger, Container, Blob);
            }
            else
            {
                Log.CreatedByAnother(_logger, Container, Blob);
            }
        }
        finally
        {
            DatabaseCache.Delete(empty);
        }
    }

    /// <summary>Brings the cached copy to version <paramref name="etag"/> of the blob: reads its block list, builds
    /// the new file from the blocks the copy already has and the ones fetched (each checked against its ID), checks
    /// it is a sound SQLite database, and only then makes it the cached copy. Hold the cache's lock.</summary>
    private async Task<BlockDownload> DownloadIntoCacheAsync(ETag etag, string? leaseId, CancellationToken cancellationToken)
    {
        var target = await DatabaseBlobTransfer.GetBlockMapAsync(_blob, etag, leaseId, cancellationToken);
        var download = _cache.NewTempPath("download");
        try
        {
            BlockDownload result;
            try
            {
                result = await DatabaseBlobTransfer.DownloadAsync(
                    _blob, target, etag, download, File.Exists(_cache.DatabasePath) ? _cache.DatabasePath : null, _cache.ReadBlockMap(), cancellationToken);
            }
            catch (CorruptDatabaseBlobException ex)
            {
                Log.BlockMismatch(_logger, Container, Blob, ex.Problem ?? ex.Message);
                throw;
            }

            var problem = await SqliteDatabaseFile.CheckAsync(download, cancellationToken);
            if (problem is not null)
            {
                Log.CorruptBlob(_logger, Container, Blob, problem);
                throw new CorruptDatabaseBlobException(Container, Blob, problem);
            }

            _cache.Replace(download, etag, target);
            Log.Downloaded(_logger, result.BytesDownloaded, result.BlocksFetched, result.BlocksReused, Container, Blob, target.Length, etag.ToString());
            return result;
        }
        finally
        {
            DatabaseCache.Delete(download);
        }
    }

    /// <summary>Moves waiting callers into the cycle (up to the cycle's limit), dropping those that cancelled.</summary>
    private void TakePending(List<PendingMerge> members, CycleCounters counters)
    {
        lock (_gate)
        {
            var room = _options.MaxMergesPerCycle - members.Count;
            var taken = 0;
            foreach (var pending in _pending)
            {
                if (taken >= room)
                {
                    break;
                }

                taken++;
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Fail(new OperationCanceledException(pending.CancellationToken));
                    counters.Failed++;
                }
                else
                {
                    members.Add(pending);
                }
            }

            _pending.RemoveRange(0, taken);
        }
    }

    private MergeCycleStatistics RecordCycle(CycleCounters counters, TimeSpan duration)
    {
        var cycle = new MergeCycleStatistics(
            counters.Merges, counters.Failed, counters.Attempts, counters.LeaseWaits, counters.LeaseWaitTime,
            counters.BytesDownloaded, counters.BytesUploaded, duration, counters.BlocksStaged, counters.BlocksReused, counters.FileBytes);
        AddToTotals(new DatabaseSyncTotals(
            counters.Attempts > 0 ? 1 : 0, counters.Merges, counters.Failed, counters.Attempts, counters.LeaseWaits, counters.BytesDownloaded, counters.BytesUploaded,
            counters.BlocksStaged, counters.BlocksReused));
        lock (_gate)
        {
            _lastCycle = cycle;
        }

        Log.CycleMerged(
            _logger, counters.Merges, Container, Blob, counters.Failed, counters.Attempts, (long)duration.TotalMilliseconds,
            counters.BytesDownloaded, counters.BytesUploaded, counters.BlocksStaged, counters.BlocksReused, counters.FileBytes);
        return cycle;
    }

    private void AddToTotals(DatabaseSyncTotals add)
    {
        lock (_gate)
        {
            _totals = new DatabaseSyncTotals(
                _totals.Cycles + add.Cycles,
                _totals.Merges + add.Merges,
                _totals.Failed + add.Failed,
                _totals.Attempts + add.Attempts,
                _totals.LeaseWaits + add.LeaseWaits,
                _totals.BytesDownloaded + add.BytesDownloaded,
                _totals.BytesUploaded + add.BytesUploaded,
                _totals.BlocksStaged + add.BlocksStaged,
                _totals.BlocksReused + add.BlocksReused);
        }
    }

    private static bool IsLeaseLost(Exception exception, BlobLeaseHolder lease, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        // Whatever failed after the lease was gone is retried under a new lease; the upload's own refusals
        // (412: the lease or the ETag no longer match; 409: the lease is held by another or broken) mean the same.
        return lease.IsLost
            || exception is LeaseLostSignal
            || exception is RequestFailedException { Status: 412 }
            || exception is RequestFailedException { Status: 409 } conflict && conflict.ErrorCode?.Contains("Lease", StringComparison.Ordinal) == true;
    }

    private static bool Is(RequestFailedException exception, BlobErrorCode code) =>
        string.Equals(exception.ErrorCode, code.ToString(), StringComparison.Ordinal);

    private static TimeSpan Jitter(TimeSpan delay) =>
        // Half fixed, half random, so waiters that collided do not collide again in step.
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        delay * (0.5 + (Random.Shared.NextDouble() * 0.5));
#pragma warning restore CA5394

    private sealed class CycleCounters
    {
        public int Merges { get; set; }

        public int Failed { get; set; }

        public int Attempts { get; set; }

        public int LeaseWaits { get; set; }

        public TimeSpan LeaseWaitTime { get; set; }

        public long BytesDownloaded { get; set; }

        public long BytesUploaded { get; set; }

        public int BlocksStaged { get; set; }

        public int BlocksReused { get; set; }

        public long FileBytes { get; set; }
    }
}
