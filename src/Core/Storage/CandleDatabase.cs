using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Blofin.Backfill.Storage;

/// <summary>A SQLite file of candles, the source gaps found at the exchange and the log of gap-fill runs.
/// One connection, used by one operation at a time; WAL so readers in other connections never block it.</summary>
public sealed partial class CandleDatabase : IAsyncDisposable
{
    internal static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    private const int SqliteCorrupt = 11;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADatabase = 26;

    private readonly SqliteConnection _connection;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    private CandleDatabase(string filePath, SqliteConnection connection, bool isReadOnly, int schemaVersion, ILogger logger)
    {
        FilePath = filePath;
        _connection = connection;
        IsReadOnly = isReadOnly;
        SchemaVersion = schemaVersion;
        _logger = logger;
    }

    /// <summary>The schema version this build creates and migrates files to.</summary>
    public static int LatestSchemaVersion => SchemaMigrations.LatestVersion;

    /// <summary>The full path of the file.</summary>
    public string FilePath { get; }

    public bool IsReadOnly { get; }

    /// <summary>The file's schema version (<c>PRAGMA user_version</c>) once opened.</summary>
    public int SchemaVersion { get; }

    /// <summary>Opens the file for writing, creating it (and its folder) if needed and applying any
    /// pending schema migrations; the journal is switched to WAL.</summary>
    /// <exception cref="UnsupportedSchemaVersionException">The file was written by a newer build.</exception>
    /// <exception cref="CandleDatabaseException">The file is not SQLite, or is a SQLite database of something else.</exception>
    public static Task<CandleDatabase> OpenAsync(string path, CancellationToken cancellationToken) =>
        OpenAsync(path, NullLogger.Instance, cancellationToken);

    /// <inheritdoc cref="OpenAsync(string, CancellationToken)"/>
    public static Task<CandleDatabase> OpenAsync(string path, ILogger? logger, CancellationToken cancellationToken) =>
        OpenAsync(path, readOnly: false, logger, SchemaMigrations.All, DefaultBusyTimeout, cancellationToken);

    /// <summary>Opens an existing file for reading only; nothing in it is changed.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnsupportedSchemaVersionException">The file was written by a newer build.</exception>
    /// <exception cref="CandleDatabaseException">The file is not SQLite, not a candle database, or needs a migration
    /// (open it for writing once).</exception>
    public static Task<CandleDatabase> OpenReadOnlyAsync(string path, CancellationToken cancellationToken) =>
        OpenAsync(path, readOnly: true, NullLogger.Instance, SchemaMigrations.All, DefaultBusyTimeout, cancellationToken);

    internal static async Task<CandleDatabase> OpenAsync(
        string path,
        bool readOnly,
        ILogger? logger,
        IReadOnlyList<SchemaMigration> migrations,
        TimeSpan busyTimeout,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(migrations);
        RequireConsecutive(migrations);
        logger ??= NullLogger.Instance;
        var fullPath = Path.GetFullPath(path);
        var existed = File.Exists(fullPath);
        if (readOnly && !existed)
        {
            throw new FileNotFoundException($"The candle database '{fullPath}' does not exist.", fullPath);
        }

        if (!readOnly && Path.GetDirectoryName(fullPath) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            // No pool: once disposed, the file handle is closed, so the blob sync can upload the file at once.
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            var version = await PrepareAsync(connection, fullPath, readOnly, logger, migrations, busyTimeout, cancellationToken);
            if (!existed)
            {
                Log.DatabaseCreated(logger, fullPath);
            }

            return new CandleDatabase(fullPath, connection, readOnly, version, logger);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt)
        {
            await connection.DisposeAsync();
            throw new CandleDatabaseException(fullPath, $"The candle database '{fullPath}' is not a SQLite database, or is corrupt: {ex.Message}", ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCantOpen)
        {
            await connection.DisposeAsync();
            throw new CandleDatabaseException(fullPath, $"The candle database '{fullPath}' cannot be opened: {ex.Message}", ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stores the confirmed candles that are not stored yet, in one transaction; forming
    /// candles (<see cref="Candle.IsConfirmed"/> false) are skipped, stored rows are never changed.</summary>
    /// <returns>The number of rows inserted.</returns>
    /// <exception cref="ArgumentException">A candle's open time is not on a bar boundary; nothing is stored.</exception>
    public async Task<int> InsertMissingAsync(string instId, Bar bar, IEnumerable<Candle> candles, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        ArgumentNullException.ThrowIfNull(candles);
        var lengthMs = RequireBar(bar);
        using var scope = await LockAsync(cancellationToken);
        ThrowIfReadOnly();

        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        // ON CONFLICT on the key only: a stored minute is kept as it is; any other violation still fails.
        command.CommandText = """
            INSERT INTO candles (inst_id, bar, ts, open, high, low, close, vol, vol_currency, vol_quote)
            VALUES ($inst_id, $bar, $ts, $open, $high, $low, $close, $vol, $vol_currency, $vol_quote)
            ON CONFLICT (inst_id, bar, ts) DO NOTHING
            """;
        command.Parameters.Add("$inst_id", SqliteType.Text).Value = instId;
        command.Parameters.Add("$bar", SqliteType.Text).Value = bar.Name;
        var ts = command.Parameters.Add("$ts", SqliteType.Integer);
        var open = command.Parameters.Add("$open", SqliteType.Real);
        var high = command.Parameters.Add("$high", SqliteType.Real);
        var low = command.Parameters.Add("$low", SqliteType.Real);
        var close = command.Parameters.Add("$close", SqliteType.Real);
        var vol = command.Parameters.Add("$vol", SqliteType.Real);
        var volCurrency = command.Parameters.Add("$vol_currency", SqliteType.Real);
        var volQuote = command.Parameters.Add("$vol_quote", SqliteType.Real);
        await command.PrepareAsync(cancellationToken);

        int inserted = 0, confirmed = 0, skipped = 0;
        foreach (var candle in candles)
        {
            if (!candle.IsConfirmed)
            {
                skipped++;
                continue;
            }

            if (!BarMath.IsAligned(candle.OpenTimeMs, lengthMs))
            {
                throw new ArgumentException(
                    $"Candle {candle.OpenTimeMs} of {instId} is not on a {bar.Name} bar boundary; nothing was stored.", nameof(candles));
            }

            confirmed++;
            ts.Value = candle.OpenTimeMs;
            // Decimal would be bound as TEXT; the columns are REAL so that readers type them as numbers.
            open.Value = (double)candle.Open;
            high.Value = (double)candle.High;
            low.Value = (double)candle.Low;
            close.Value = (double)candle.Close;
            vol.Value = (double)candle.Volume;
            volCurrency.Value = (double)candle.VolumeCurrency;
            volQuote.Value = (double)candle.VolumeQuote;
            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        Log.CandlesInserted(_logger, inserted, confirmed, instId, bar.Name, skipped);
        return inserted;
    }

    /// <summary>Open times of the stored bars from <paramref name="fromMs"/> to <paramref name="toMs"/> (both included), ascending.</summary>
    public async Task<IReadOnlyList<long>> GetOpenTimesAsync(string instId, Bar bar, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        using var scope = await LockAsync(cancellationToken);
        return await ReadOpenTimesAsync(instId, bar, fromMs, toMs, transaction: null, cancellationToken);
    }

    /// <summary>Streams the stored bars from <paramref name="fromMs"/> to <paramref name="toMs"/> (both included),
    /// oldest first, from one forward-only cursor: memory stays flat however long the range.</summary>
    /// <remarks>The database is held for this one operation until the enumeration ends: calling another method of
    /// this instance from inside the <c>await foreach</c> waits forever. Read what else is needed first.</remarks>
    public async IAsyncEnumerable<StoredCandle> ReadCandlesAsync(
        string instId,
        Bar bar,
        long fromMs,
        long toMs,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        using var scope = await LockAsync(cancellationToken);
        await using var command = _connection.CreateCommand();
        // One statement is one read transaction: the rows come from one consistent snapshot.
        command.CommandText = """
            SELECT ts, open, high, low, close, vol, vol_currency, vol_quote FROM candles
            WHERE inst_id = $inst_id AND bar = $bar AND ts BETWEEN $from AND $to
            ORDER BY ts
            """;
        command.Parameters.AddWithValue("$inst_id", instId);
        command.Parameters.AddWithValue("$bar", bar.Name);
        command.Parameters.AddWithValue("$from", fromMs);
        command.Parameters.AddWithValue("$to", toMs);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadStoredCandle(reader, 0);
        }
    }

    /// <summary>The bars of <paramref name="window"/> neither stored nor known absent at the exchange, oldest first.</summary>
    public async Task<IReadOnlyList<TimeRange>> GetMissingRangesAsync(string instId, Bar bar, CoverageWindow window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        RequireWindowOf(window, bar);
        using var scope = await LockAsync(cancellationToken);
        // A deferred transaction: one consistent snapshot for the reads, no write lock.
        await using var snapshot = _connection.BeginTransaction(deferred: true);
        var present = await ReadOpenTimesAsync(instId, bar, window.StartMs, window.EndMs, snapshot, cancellationToken);
        var gaps = await ReadSourceGapsAsync(instId, bar, window.StartMs, window.EndMs, snapshot, cancellationToken);
        return GapFinder.FindMissing(window, present, [.. gaps.Select(g => g.Range)]);
    }

    /// <summary>Records ranges proved absent at the exchange. A gap already recorded with the same
    /// range is kept as it was (with its first evidence).</summary>
    /// <returns>The number of gaps newly recorded.</returns>
    public async Task<int> AddSourceGapsAsync(string instId, Bar bar, IEnumerable<SourceGap> gaps, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        ArgumentNullException.ThrowIfNull(gaps);
        var lengthMs = RequireBar(bar);
        using var scope = await LockAsync(cancellationToken);
        ThrowIfReadOnly();

        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO source_gaps (inst_id, bar, start_ts, end_ts, reason, detected_at_ms, request_after_ts, request_limit, newer_neighbour_ts, older_neighbour_ts)
            VALUES ($inst_id, $bar, $start_ts, $end_ts, $reason, $detected_at_ms, $request_after_ts, $request_limit, $newer_neighbour_ts, $older_neighbour_ts)
            ON CONFLICT (inst_id, bar, start_ts, end_ts) DO NOTHING
            """;
        command.Parameters.Add("$inst_id", SqliteType.Text).Value = instId;
        command.Parameters.Add("$bar", SqliteType.Text).Value = bar.Name;
        var startTs = command.Parameters.Add("$start_ts", SqliteType.Integer);
        var endTs = command.Parameters.Add("$end_ts", SqliteType.Integer);
        var reason = command.Parameters.Add("$reason", SqliteType.Text);
        var detectedAt = command.Parameters.Add("$detected_at_ms", SqliteType.Integer);
        var requestAfter = command.Parameters.Add("$request_after_ts", SqliteType.Integer);
        var requestLimit = command.Parameters.Add("$request_limit", SqliteType.Integer);
        var newer = command.Parameters.Add("$newer_neighbour_ts", SqliteType.Integer);
        var older = command.Parameters.Add("$older_neighbour_ts", SqliteType.Integer);
        await command.PrepareAsync(cancellationToken);

        var inserted = 0;
        foreach (var gap in gaps)
        {
            ArgumentNullException.ThrowIfNull(gap, nameof(gaps));
            var range = gap.Range;
            if (range.EndMs < range.StartMs || !BarMath.IsAligned(range.StartMs, lengthMs) || !BarMath.IsAligned(range.EndMs, lengthMs))
            {
                throw new ArgumentException($"Source gap {range} of {instId} is empty or not on {bar.Name} bar boundaries; nothing was stored.", nameof(gaps));
            }

            startTs.Value = range.StartMs;
            endTs.Value = range.EndMs;
            reason.Value = ReasonText(gap.Reason);
            detectedAt.Value = gap.DetectedAtMs;
            requestAfter.Value = gap.RequestAfterMs;
            requestLimit.Value = gap.RequestLimit;
            newer.Value = (object?)gap.NewerNeighbourMs ?? DBNull.Value;
            older.Value = (object?)gap.OlderNeighbourMs ?? DBNull.Value;
            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    /// <summary>The recorded source gaps that overlap <paramref name="fromMs"/>..<paramref name="toMs"/>, oldest first.</summary>
    public async Task<IReadOnlyList<SourceGap>> GetSourceGapsAsync(string instId, Bar bar, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        using var scope = await LockAsync(cancellationToken);
        return await ReadSourceGapsAsync(instId, bar, fromMs, toMs, transaction: null, cancellationToken);
    }

    /// <summary>Appends a run to the run log.</summary>
    /// <returns>The new run's id.</returns>
    public async Task<long> RecordRunAsync(GapFillRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(run.InstId, nameof(run));
        ArgumentException.ThrowIfNullOrWhiteSpace(run.Trigger, nameof(run));
        ArgumentException.ThrowIfNullOrWhiteSpace(run.Bar.Name, nameof(run));
        using var scope = await LockAsync(cancellationToken);
        ThrowIfReadOnly();

        await using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO gap_fill_runs (
                inst_id, bar, trigger, window_start_ts, window_end_ts, expected, present_before, present_after,
                requests, inserted, source_gaps_found, status, error, started_at_ms, finished_at_ms,
                bytes_downloaded, bytes_uploaded, blocks_staged, blocks_reused, file_bytes, revised)
            VALUES (
                $inst_id, $bar, $trigger, $window_start_ts, $window_end_ts, $expected, $present_before, $present_after,
                $requests, $inserted, $source_gaps_found, $status, $error, $started_at_ms, $finished_at_ms,
                $bytes_downloaded, $bytes_uploaded, $blocks_staged, $blocks_reused, $file_bytes, $revised)
            RETURNING id
            """;
        var p = command.Parameters;
        p.AddWithValue("$inst_id", run.InstId);
        p.AddWithValue("$bar", run.Bar.Name);
        p.AddWithValue("$trigger", run.Trigger);
        p.AddWithValue("$window_start_ts", run.WindowStartMs);
        p.AddWithValue("$window_end_ts", run.WindowEndMs);
        p.AddWithValue("$expected", run.ExpectedCount);
        p.AddWithValue("$present_before", run.PresentBefore);
        p.AddWithValue("$present_after", run.PresentAfter);
        p.AddWithValue("$requests", run.Requests);
        p.AddWithValue("$inserted", run.Inserted);
        p.AddWithValue("$source_gaps_found", run.SourceGapsFound);
        p.AddWithValue("$status", StatusText(run.Status));
        p.AddWithValue("$error", (object?)run.Error ?? DBNull.Value);
        p.AddWithValue("$started_at_ms", run.StartedAtMs);
        p.AddWithValue("$finished_at_ms", run.FinishedAtMs);
        p.AddWithValue("$bytes_downloaded", (object?)run.BytesDownloaded ?? DBNull.Value);
        p.AddWithValue("$bytes_uploaded", (object?)run.BytesUploaded ?? DBNull.Value);
        p.AddWithValue("$blocks_staged", (object?)run.BlocksStaged ?? DBNull.Value);
        p.AddWithValue("$blocks_reused", (object?)run.BlocksReused ?? DBNull.Value);
        p.AddWithValue("$file_bytes", (object?)run.FileBytes ?? DBNull.Value);
        p.AddWithValue("$revised", run.Revised);
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        Log.RunRecorded(_logger, run.Status, id, run.InstId, run.Bar.Name);
        return id;
    }

    /// <summary>Remembers an instrument's listing time, so coverage can be computed without asking the exchange.</summary>
    public async Task UpsertInstrumentAsync(Instrument instrument, long updatedAtMs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        using var scope = await LockAsync(cancellationToken);
        ThrowIfReadOnly();
        await using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT INTO instruments (inst_id, list_time_ms, state, updated_at_ms)
            VALUES ($inst_id, $list_time_ms, $state, $updated_at_ms)
            ON CONFLICT (inst_id) DO UPDATE SET
                list_time_ms = excluded.list_time_ms, state = excluded.state, updated_at_ms = excluded.updated_at_ms
            """;
        command.Parameters.AddWithValue("$inst_id", instrument.InstId);
        command.Parameters.AddWithValue("$list_time_ms", instrument.ListTimeMs);
        command.Parameters.AddWithValue("$state", instrument.State);
        command.Parameters.AddWithValue("$updated_at_ms", updatedAtMs);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The instrument's listing time as last recorded by a run, or null when no run recorded it.</summary>
    public async Task<long?> GetListTimeAsync(string instId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        using var scope = await LockAsync(cancellationToken);
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT list_time_ms FROM instruments WHERE inst_id = $inst_id";
        command.Parameters.AddWithValue("$inst_id", instId);
        return await command.ExecuteScalarAsync(cancellationToken) is long value ? value : null;
    }

    /// <summary>The latest run (by start time) of the symbol and bar, or null.</summary>
    public async Task<GapFillRun?> GetLastRunAsync(string instId, Bar bar, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        using var scope = await LockAsync(cancellationToken);
        var runs = await ReadRunsAsync(instId, bar, startedFromMs: null, limit: 1, transaction: null, cancellationToken);
        return runs.Count > 0 ? runs[0] : null;
    }

    /// <summary>Recorded runs, newest first, optionally only those of one symbol, one bar, or started at
    /// or after <paramref name="startedFromMs"/>; at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<GapFillRun>> GetRunsAsync(
        string? instId,
        Bar? bar,
        long? startedFromMs,
        int limit,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var scope = await LockAsync(cancellationToken);
        return await ReadRunsAsync(instId, bar, startedFromMs, limit, transaction: null, cancellationToken);
    }

    /// <summary>How complete the symbol is over <paramref name="window"/>, read from one snapshot.</summary>
    public async Task<SymbolCoverage> GetCoverageAsync(string instId, Bar bar, CoverageWindow window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        RequireWindowOf(window, bar);
        using var scope = await LockAsync(cancellationToken);
        // A deferred transaction: one consistent snapshot for the reads, no write lock.
        await using var snapshot = _connection.BeginTransaction(deferred: true);
        var present = await ReadOpenTimesAsync(instId, bar, window.StartMs, window.EndMs, snapshot, cancellationToken);
        var gaps = await ReadSourceGapsAsync(instId, bar, window.StartMs, window.EndMs, snapshot, cancellationToken);
        var runs = await ReadRunsAsync(instId, bar, startedFromMs: null, limit: 1, snapshot, cancellationToken);

        var missing = GapFinder.FindMissing(window, present, [.. gaps.Select(g => g.Range)]);
        long missingCount = 0;
        TimeRange? largest = null;
        foreach (var range in missing)
        {
            var count = range.Count(bar);
            missingCount += count;
            if (largest is not { } best || count >= best.Count(bar))
            {
                largest = range;
            }
        }

        // Stored rows are on bar boundaries (InsertMissingAsync enforces it), so every one is a bar of
        // the window; what is neither stored nor missing is a source gap.
        var presentCount = (long)present.Count;
        return new SymbolCoverage(
            instId,
            bar,
            window,
            presentCount,
            window.ExpectedCount - presentCount - missingCount,
            missingCount,
            missing.Count,
            largest,
            runs.Count > 0 ? runs[0] : null);
    }

    /// <summary>The symbols with stored candles or recorded runs of <paramref name="bar"/>, sorted.</summary>
    public async Task<IReadOnlyList<string>> GetSymbolsAsync(Bar bar, CancellationToken cancellationToken)
    {
        RequireBar(bar);
        using var scope = await LockAsync(cancellationToken);
        await using var command = _connection.CreateCommand();
        // The key starts with inst_id, so hop from one symbol to the next through the index instead of
        // scanning every row: a lookup per symbol however long the history grows.
        command.CommandText = """
            WITH RECURSIVE ids(inst_id) AS (
                SELECT MIN(inst_id) FROM candles
                UNION ALL
                SELECT (SELECT MIN(c.inst_id) FROM candles AS c WHERE c.inst_id > ids.inst_id)
                FROM ids
                WHERE ids.inst_id IS NOT NULL
            )
            SELECT inst_id FROM ids
            WHERE inst_id IS NOT NULL
              AND EXISTS (SELECT 1 FROM candles AS c WHERE c.inst_id = ids.inst_id AND c.bar = $bar)
            UNION
            SELECT inst_id FROM gap_fill_runs WHERE bar = $bar
            ORDER BY 1
            """;
        command.Parameters.AddWithValue("$bar", bar.Name);
        var symbols = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            symbols.Add(reader.GetString(0));
        }

        return symbols;
    }

    /// <summary>Folds the WAL into the main file and empties it, so the main file alone holds every
    /// committed row (what the blob sync uploads).</summary>
    /// <exception cref="CandleDatabaseException">A reader in another connection kept part of the WAL in use
    /// for longer than the busy timeout.</exception>
    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        using var scope = await LockAsync(cancellationToken);
        ThrowIfReadOnly();
        await using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var busy = reader.GetInt32(0);
        var walFrames = reader.GetInt32(1);
        var checkpointed = reader.GetInt32(2);
        // Busy only in the final reset (a reader still maps the WAL) is fine once every frame is in the main file.
        if (busy != 0 && (walFrames < 0 || checkpointed != walFrames))
        {
            throw new CandleDatabaseException(
                FilePath,
                $"Checkpoint of '{FilePath}' incomplete: {checkpointed} of {walFrames} WAL frames folded in; a reader kept the rest in use.");
        }

        Log.Checkpointed(_logger, FilePath, checkpointed);
    }

    /// <summary>Runs <c>PRAGMA quick_check</c>: <c>"ok"</c>, or the problems found, one per line.</summary>
    public async Task<string> QuickCheckAsync(CancellationToken cancellationToken)
    {
        using var scope = await LockAsync(cancellationToken);
        await using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check";
        try
        {
            var lines = new StringBuilder();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Append(lines.Length > 0 ? "\n" : string.Empty).Append(reader.GetString(0));
            }

            return lines.ToString();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            // Damage bad enough that the check itself cannot read a page is a finding, not a failure of the check.
            return ex.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (_disposed)
            {
                return;
            }

            // Operations waiting for the gate see _disposed and throw ObjectDisposedException; the
            // semaphore itself holds no handle, so it is left for the GC.
            _disposed = true;
            await _connection.DisposeAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<int> PrepareAsync(
        SqliteConnection connection,
        string fullPath,
        bool readOnly,
        ILogger logger,
        IReadOnlyList<SchemaMigration> migrations,
        TimeSpan busyTimeout,
        CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            connection,
            string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}"),
            transaction: null,
            cancellationToken);

        // Everything is checked before the first write, so a file that is refused is left as it was.
        var latest = migrations.Count > 0 ? migrations[^1].Version : 0;
        var (version, hasTables) = await ReadSchemaStateAsync(connection, cancellationToken);
        if (version > latest)
        {
            throw new UnsupportedSchemaVersionException(fullPath, version, latest);
        }

        if (version == 0 && hasTables)
        {
            throw new CandleDatabaseException(
                fullPath,
                $"'{fullPath}' is a SQLite database but not a candle database (schema version 0 and tables of its own); it was not changed.");
        }

        if (readOnly)
        {
            if (version < latest)
            {
                throw new SchemaMigrationNeededException(fullPath, version, latest);
            }

            return version;
        }

        var journalMode = (string?)await ScalarAsync(connection, "PRAGMA journal_mode = WAL", transaction: null, cancellationToken);
        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new CandleDatabaseException(fullPath, $"The candle database '{fullPath}' cannot use WAL (journal mode stays '{journalMode}').");
        }

        // The WAL is checkpointed before upload, so the relaxed sync costs no durability that matters.
        await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL", transaction: null, cancellationToken);
        return await MigrateAsync(connection, fullPath, logger, migrations, cancellationToken);
    }

    private static async Task<int> MigrateAsync(
        SqliteConnection connection,
        string fullPath,
        ILogger logger,
        IReadOnlyList<SchemaMigration> migrations,
        CancellationToken cancellationToken)
    {
        var version = 0;
        foreach (var migration in migrations)
        {
            // IMMEDIATE (the default): the write lock is taken first and the version read under it, so two
            // processes opening the same new file do not both apply a step.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            version = await ReadUserVersionAsync(connection, transaction, cancellationToken);
            if (version >= migration.Version)
            {
                continue;
            }

            await ExecuteAsync(connection, migration.Sql, transaction, cancellationToken);
            await ExecuteAsync(
                connection,
                string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {migration.Version}"),
                transaction,
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Log.MigrationApplied(logger, fullPath, version, migration.Version, migration.Description);
            version = migration.Version;
        }

        return version;
    }

    private static void RequireConsecutive(IReadOnlyList<SchemaMigration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new ArgumentException($"Migration {i} has version {migrations[i].Version}; versions must run 1, 2, 3...", nameof(migrations));
            }
        }
    }

    private static async Task<int> ReadUserVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken) =>
        checked((int)(long)(await ScalarAsync(connection, "PRAGMA user_version", transaction, cancellationToken))!);

    /// <summary>The schema version and whether the file holds any table, read by one statement and so from one
    /// snapshot: read one after the other, a process creating the same new file in between (tables and version in one
    /// transaction) would show up as version 0 with tables, a foreign database.</summary>
    private static async Task<(int Version, bool HasTables)> ReadSchemaStateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (checked((int)reader.GetInt64(0)), reader.GetInt64(1) > 0);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<long>> ReadOpenTimesAsync(string instId, Bar bar, long fromMs, long toMs, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT ts FROM candles
            WHERE inst_id = $inst_id AND bar = $bar AND ts BETWEEN $from AND $to
            ORDER BY ts
            """;
        command.Parameters.AddWithValue("$inst_id", instId);
        command.Parameters.AddWithValue("$bar", bar.Name);
        command.Parameters.AddWithValue("$from", fromMs);
        command.Parameters.AddWithValue("$to", toMs);
        var openTimes = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            openTimes.Add(reader.GetInt64(0));
        }

        return openTimes;
    }

    private async Task<IReadOnlyList<SourceGap>> ReadSourceGapsAsync(string instId, Bar bar, long fromMs, long toMs, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT start_ts, end_ts, reason, detected_at_ms, request_after_ts, request_limit, newer_neighbour_ts, older_neighbour_ts,
                   rechecked_at_ms, recheck_request_after_ts, recheck_request_limit
            FROM source_gaps
            WHERE inst_id = $inst_id AND bar = $bar AND start_ts <= $to AND end_ts >= $from
            ORDER BY start_ts, end_ts
            """;
        command.Parameters.AddWithValue("$inst_id", instId);
        command.Parameters.AddWithValue("$bar", bar.Name);
        command.Parameters.AddWithValue("$from", fromMs);
        command.Parameters.AddWithValue("$to", toMs);
        var gaps = new List<SourceGap>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            gaps.Add(new SourceGap(
                new TimeRange(reader.GetInt64(0), reader.GetInt64(1)),
                ParseReason(reader.GetString(2)),
                reader.GetInt64(3),
                reader.GetInt64(4),
                reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7))
            {
                RecheckedAtMs = reader.IsDBNull(8) ? null : reader.GetInt64(8),
                RecheckRequestAfterMs = reader.IsDBNull(9) ? null : reader.GetInt64(9),
                RecheckRequestLimit = reader.IsDBNull(10) ? null : reader.GetInt32(10),
            });
        }

        return gaps;
    }

    private async Task<IReadOnlyList<GapFillRun>> ReadRunsAsync(string? instId, Bar? bar, long? startedFromMs, int limit, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT id, inst_id, bar, trigger, window_start_ts, window_end_ts, expected, present_before, present_after,
                   requests, inserted, source_gaps_found, status, error, started_at_ms, finished_at_ms,
                   bytes_downloaded, bytes_uploaded, blocks_staged, blocks_reused, file_bytes, revised
            FROM gap_fill_runs
            WHERE ($inst_id IS NULL OR inst_id = $inst_id)
              AND ($bar IS NULL OR bar = $bar)
              AND ($started_from IS NULL OR started_at_ms >= $started_from)
            ORDER BY started_at_ms DESC, id DESC
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$inst_id", (object?)instId ?? DBNull.Value);
        command.Parameters.AddWithValue("$bar", (object?)bar?.Name ?? DBNull.Value);
        command.Parameters.AddWithValue("$started_from", (object?)startedFromMs ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        var runs = new List<GapFillRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new GapFillRun
            {
                Id = reader.GetInt64(0),
                InstId = reader.GetString(1),
                Bar = Bar.Parse(reader.GetString(2)),
                Trigger = reader.GetString(3),
                WindowStartMs = reader.GetInt64(4),
                WindowEndMs = reader.GetInt64(5),
                ExpectedCount = reader.GetInt64(6),
                PresentBefore = reader.GetInt64(7),
                PresentAfter = reader.GetInt64(8),
                Requests = reader.GetInt32(9),
                Inserted = reader.GetInt32(10),
                SourceGapsFound = reader.GetInt32(11),
                Status = ParseStatus(reader.GetString(12)),
                Error = reader.IsDBNull(13) ? null : reader.GetString(13),
                StartedAtMs = reader.GetInt64(14),
                FinishedAtMs = reader.GetInt64(15),
                BytesDownloaded = reader.IsDBNull(16) ? null : reader.GetInt64(16),
                BytesUploaded = reader.IsDBNull(17) ? null : reader.GetInt64(17),
                BlocksStaged = reader.IsDBNull(18) ? null : reader.GetInt32(18),
                BlocksReused = reader.IsDBNull(19) ? null : reader.GetInt32(19),
                FileBytes = reader.IsDBNull(20) ? null : reader.GetInt64(20),
                Revised = reader.GetInt32(21),
            });
        }

        return runs;
    }

    private async ValueTask<Lease> LockAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        if (_disposed)
        {
            _gate.Release();
            throw new ObjectDisposedException(nameof(CandleDatabase), $"The candle database '{FilePath}' is closed.");
        }

        return new Lease(_gate);
    }

    private void ThrowIfReadOnly()
    {
        if (IsReadOnly)
        {
            throw new InvalidOperationException($"The candle database '{FilePath}' was opened read-only.");
        }
    }

    private static long RequireBar(Bar bar) => BarMath.LengthOf(bar, nameof(bar));

    private static void RequireWindowOf(CoverageWindow window, Bar bar)
    {
        ArgumentNullException.ThrowIfNull(window);
        RequireBar(bar);
        if (window.Bar != bar)
        {
            throw new ArgumentException($"The window is of {window.Bar.Name} bars, not {bar.Name}.", nameof(window));
        }
    }

    private static string ReasonText(SourceGapReason reason) => reason switch
    {
        SourceGapReason.Hole => "hole",
        SourceGapReason.BeforeHistory => "before_history",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown source gap reason."),
    };

    private static SourceGapReason ParseReason(string text) => text switch
    {
        "hole" => SourceGapReason.Hole,
        "before_history" => SourceGapReason.BeforeHistory,
        _ => throw new CandleDatabaseException($"Unknown source gap reason '{text}' in the database."),
    };

    private static string StatusText(GapFillRunStatus status) => status switch
    {
        GapFillRunStatus.Succeeded => "succeeded",
        GapFillRunStatus.Partial => "partial",
        GapFillRunStatus.Failed => "failed",
        GapFillRunStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown run status."),
    };

    private static GapFillRunStatus ParseStatus(string text) => text switch
    {
        "succeeded" => GapFillRunStatus.Succeeded,
        "partial" => GapFillRunStatus.Partial,
        "failed" => GapFillRunStatus.Failed,
        "cancelled" => GapFillRunStatus.Cancelled,
        _ => throw new CandleDatabaseException($"Unknown run status '{text}' in the database."),
    };

    // Releases the one-operation-at-a-time gate at the end of a `using`.
    private readonly struct Lease(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
