using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Blofin.Backfill.Backfill;
using Blofin.Backfill.Exchange;
using Blofin.Backfill.Testing;
using Blofin.Simulator;

namespace Blofin.Backfill.Soak;

/// <summary>One soak: the simulator in this process with its faults, worker processes draining a random queue into a
/// random blob, rounds of messages (duplicates and malformed ones mixed in), a ban in the middle, SIGKILLs of
/// workers holding the lease and a lease broken from outside; then every check of what it left behind.</summary>
internal sealed class SoakRun : IAsyncDisposable
{
    private const long MinuteMs = 60_000;
    private const int PageSize = 1440;
    private static readonly TimeSpan DatabaseLease = TimeSpan.FromSeconds(15);
    private static readonly JsonSerializerOptions PoisonJson = new(JsonSerializerDefaults.Web);

    private readonly SoakSettings _settings;
    private readonly BlofinSimulator _simulator;
    private readonly TempDirectory _folder;
    private readonly BlobContainerClient _container;
    private readonly BlobClient _blob;
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly IReadOnlyList<string> _symbols;
    private readonly Dictionary<string, string> _environment;
    private readonly Random _random;
    private readonly Channel<SoakEvent> _events = Channel.CreateUnbounded<SoakEvent>();
    private readonly List<CliWorker> _workers = [];
    private readonly Dictionary<CliWorker, int> _slotOf = [];
    private readonly CliWorker?[] _slots;
    private readonly int[] _generations;
    private readonly Dictionary<string, int> _validSent = new(StringComparer.Ordinal);
    private readonly List<string> _badSent = [];
    private readonly List<string> _problems = [];
    private readonly List<string> _timeline = [];
    private readonly List<Task> _breakTasks = [];
    private readonly Lock _faultGate = new();
    private readonly Stopwatch _clock = new();
    private int _killsPending;
    private int _breakPending;
    private int _rounds;
    private int _duplicates;
    private int _kills;
    private int _killsHoldingLease;
    private int _breaks;
    private int _breakMisses;
    private DateTimeOffset _startUtc;
    private DateTimeOffset _endUtc;
    private DateTimeOffset? _banStartUtc;
    private DateTimeOffset? _banEndUtc;

    private SoakRun(SoakSettings settings, BlofinSimulator simulator, TempDirectory folder, string connectionString)
    {
        _settings = settings;
        _simulator = simulator;
        _folder = folder;
        _random = new Random(settings.Seed);
        _symbols = [.. simulator.Market.Instruments.Select(i => i.InstId)];
        _container = new BlobServiceClient(connectionString).GetBlobContainerClient(AzuriteFixture.RandomName("soak"));
        _blob = _container.GetBlobClient($"soak-{Guid.NewGuid():N}.sqlite");
        var queues = new QueueServiceClient(connectionString);
        _queue = queues.GetQueueClient(AzuriteFixture.RandomName("soak"));
        _poison = queues.GetQueueClient(_queue.Name + BackfillQueue.PoisonSuffix);
        _slots = new CliWorker?[settings.Workers];
        _generations = new int[settings.Workers];
        var ban = TimeSpan.FromSeconds(settings.BanSeconds).ToString("c", CultureInfo.InvariantCulture);
        _environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["BackfillQueueName"] = _queue.Name,
            ["Backfill__Container"] = _container.Name,
            ["Backfill__DatabaseBlob"] = _blob.Name,
            ["Backfill__Symbols"] = string.Join(',', _symbols),
            ["Backfill__LookbackHours"] = settings.LookbackHours.ToString(CultureInfo.InvariantCulture),
            ["Backfill__MaxConcurrentPages"] = settings.MaxConcurrentPages.ToString(CultureInfo.InvariantCulture),
            ["Backfill__LeaseDuration"] = DatabaseLease.ToString("c", CultureInfo.InvariantCulture),
            ["Backfill__LeaseRetryDelay"] = "00:00:00.100",
            ["Backfill__LeaseRetryMaxDelay"] = "00:00:01",
            ["Blofin__BaseUrl"] = simulator.BaseUrl.ToString(),
            ["Blofin__AttemptTimeout"] = settings.AttemptTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Blofin__RetryBaseDelay"] = "00:00:00.200",
            ["Blofin__BannedPause"] = ban,
            ["Blofin__RateLimitedPause"] = ban,
            // One IP for every worker, as behind a NAT gateway: each process takes its share of the exchange's budget,
            // counting the replacements of killed workers (their predecessors' requests still count at the IP).
            ["Blofin__ShortWindowLimit"] = Math.Max(2, 500 / settings.ProcessesPerWindow(TimeSpan.FromSeconds(60))).ToString(CultureInfo.InvariantCulture),
            ["Blofin__LongWindowLimit"] = Math.Max(2, 1500 / settings.ProcessesPerWindow(TimeSpan.FromSeconds(300))).ToString(CultureInfo.InvariantCulture),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
    }

    private enum SoakEventKind
    {
        Killed,
        Exited,
        RoundSent,
    }

    public static async Task<SoakRun> StartAsync(SoakSettings settings, AzuriteFixture azurite, CancellationToken cancellationToken)
    {
        var options = new SimulatorOptions
        {
            FaultSeed = settings.Seed,
            ServerErrorRate = settings.ServerErrorRate,
            SlowResponseRate = settings.SlowRate,
            MalformedBodyRate = settings.MalformedRate,
            TruncatedBodyRate = settings.TruncatedRate,
            SlowResponseDelay = settings.SlowDelay,

            // Were the per-IP limits tripped (a 429, counted as a problem), the suspension matches the clients' pause.
            ShortWindowBan = TimeSpan.FromSeconds(settings.BanSeconds),
            LongWindowBan = TimeSpan.FromSeconds(settings.BanSeconds),
        };
        foreach (var instrument in Instruments(settings.Symbols))
        {
            options.Instruments.Add(instrument);
        }

        var connectionString = await azurite.GetConnectionStringAsync(cancellationToken);
        var simulator = await BlofinSimulator.StartAsync(options, cancellationToken: cancellationToken);
        var run = new SoakRun(settings, simulator, TempDirectory.Create("blofin-soak-"), connectionString);
        await run._queue.CreateAsync(cancellationToken: cancellationToken);
        return run;
    }

    /// <summary>Drives the soak to its end (or its deadline), then checks everything; returns the counters and the
    /// problems found (none when it passed).</summary>
    public async Task<(SoakCounters Counters, IReadOnlyList<string> Problems, string Details)> RunAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        _clock.Start();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(_settings.TimeoutSeconds));
        var finished = false;
        try
        {
            await DriveAsync(stopwatch, deadline.Token);
            finished = true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _problems.Add($"The soak did not finish within its {_settings.TimeoutSeconds} s deadline.\n{string.Join('\n', _workers.Where(w => w.ExitCode is null).Select(w => w.Tail()))}");
        }
        finally
        {
            foreach (var worker in _workers)
            {
                await worker.DisposeAsync();
            }
        }

        var details = new StringBuilder();
        details.AppendLine("Timeline:");
        lock (_timeline)
        {
            foreach (var line in _timeline)
            {
                details.AppendLine(line);
            }
        }

        long databaseBytes = 0;
        Dictionary<(string InstId, string Status), int> runs = [];
        if (finished)
        {
            (databaseBytes, runs) = await CheckAsync(details, cancellationToken);
        }

        var log = _simulator.Requests;
        var counters = new SoakCounters
        {
            Elapsed = stopwatch.Elapsed,
            Rounds = _rounds,
            ValidMessages = _validSent.Values.Sum(),
            DuplicateMessages = _duplicates,
            MalformedMessages = _badSent.Count,
            WorkerProcesses = _workers.Count,
            Kills = _kills,
            KillsHoldingLease = _killsHoldingLease,
            LeaseBreaks = _breaks,
            LeaseBreakMisses = _breakMisses,
            ExchangeRequests = log.Count,
            ServerErrors = log.Count(r => r.Fault == SimulatedFault.ServerError),
            SlowReplies = log.Count(r => r.Fault == SimulatedFault.SlowResponse),
            ClientTimeouts = log.Count(r => r.Fault == SimulatedFault.SlowResponse && r.StatusCode == 499),
            MalformedBodies = log.Count(r => r.Fault == SimulatedFault.MalformedBody),
            TruncatedBodies = log.Count(r => r.Fault == SimulatedFault.TruncatedBody),
            ForbiddenDuringBan = log.Count(r => r.StatusCode == 403),
            RateLimited = log.Count(r => r.StatusCode == 429),
            LeaseLostLogLines = _workers.Sum(w => w.CountLines("Lost the lease on") + w.CountLines("was lost while held")),
            RetriedMessagesLogLines = _workers.Sum(w => w.CountLines("; the queue will retry it")),
            MessagesLostLogLines = _workers.Sum(w => w.CountLines("is no longer ours")),
            Runs = runs.Values.Sum(),
            SucceededRuns = runs.Where(r => r.Key.Status == "succeeded").Sum(r => r.Value),
            DatabaseBytes = databaseBytes,
        };

        details.AppendLine("Workers (merge cycles: count, mean and longest ms, lease waits included):");
        foreach (var worker in _workers)
        {
            var cycles = worker.CycleDurationsMs();
            var figures = cycles.Count == 0 ? "no cycle" : string.Create(CultureInfo.InvariantCulture, $"{cycles.Count} cycles, mean {cycles.Average():0} ms, longest {cycles.Max()} ms");
            details.AppendLine(CultureInfo.InvariantCulture, $"  {worker.Name,-6} pid {worker.ProcessId,-7} exit {worker.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-",-4} {(worker.Killed ? "killed" : ""),-7}{figures}");
        }

        if (_problems.Count > 0)
        {
            var logs = SaveWorkerLogs();
            details.AppendLine(CultureInfo.InvariantCulture, $"Worker logs: {logs}");
        }

        return (counters, _problems, details.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        await _queue.DeleteIfExistsAsync();
        await _poison.DeleteIfExistsAsync();
        await _container.DeleteIfExistsAsync();
        await _simulator.DisposeAsync();
        SqliteCleanup();
        _folder.Dispose();
    }

    /// <summary>The simulator's live USDT perpetuals listed long ago, then synthetic ones if more are asked for.</summary>
    private static IEnumerable<SimulatedInstrument> Instruments(int count)
    {
        var listed = SimulatorOptions.CreateDefault().Instruments.Where(i => i.State == "live" && i.ListedAgo is null).Take(count).ToList();
        foreach (var instrument in listed)
        {
            yield return instrument;
        }

        for (var i = listed.Count; i < count; i++)
        {
            yield return new SimulatedInstrument($"SOAK{i:000}-USDT", 10m, 0.001m, 1m);
        }
    }

    private static void SqliteCleanup() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

    private async Task DriveAsync(Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var phase = TimeSpan.FromSeconds(_settings.Seconds);
        _startUtc = _simulator.Market.UtcNow;
        await SendRoundAsync(cancellationToken);
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            Spawn(slot);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ban = BanAsync(stop.Token);
        var rounds = RoundsAsync(stopwatch, phase, stop.Token);
        try
        {
            while (true)
            {
                while (_events.Reader.TryRead(out var soakEvent))
                {
                    await HandleAsync(soakEvent, stopwatch.Elapsed, phase, cancellationToken);
                }

                var running = _slots.Count(w => w is not null);
                if (IsPhaseDone(stopwatch.Elapsed, phase) && running == 0)
                {
                    if (await CountAsync(cancellationToken) == 0)
                    {
                        break;
                    }

                    // Every worker stopped with messages left (only a crash does that): one more finishes the work.
                    TopUp(1);
                }

                try
                {
                    await _events.Reader.WaitToReadAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromMilliseconds(200), cancellationToken);
                }
                catch (TimeoutException)
                {
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(ban, rounds).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await Task.WhenAll(_breakTasks);
        _endUtc = _simulator.Market.UtcNow;
        Note("every worker stopped; the queue is empty");
    }

    /// <summary>The firewall ban in the middle: once a quarter of the first round's pages were asked for, so it lands
    /// in the burst of page requests (never on a clock: a kill during the first merge, which creates the database,
    /// holds every worker back for a lease's length, and a ban then would meet no request).</summary>
    private async Task BanAsync(CancellationToken cancellationToken)
    {
        var pagesPerSymbol = (int)Math.Ceiling(((_settings.LookbackHours * 60) + 1) / (double)PageSize);
        var trigger = Math.Max(1, _symbols.Count * pagesPerSymbol / 4);
        while (_simulator.CountCandleRequests() < trigger)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        var length = TimeSpan.FromSeconds(_settings.BanSeconds);
        var end = _simulator.Suspend(length);
        lock (_faultGate)
        {
            _banStartUtc = end - length;
            _banEndUtc = end;
        }

        Note($"ban for {_settings.BanSeconds} s after {_simulator.CountCandleRequests()} candle requests");
    }

    /// <summary>A round every tick while the phase lasts; after it, while kills or breaks are still owed, another round
    /// whenever the queue ran dry (they need merges to act on).</summary>
    private async Task RoundsAsync(Stopwatch stopwatch, TimeSpan phase, CancellationToken cancellationToken)
    {
        var tick = TimeSpan.FromSeconds(_settings.TickSeconds);
        for (var next = tick; !IsPhaseDone(stopwatch.Elapsed, phase); )
        {
            var elapsed = stopwatch.Elapsed;
            if (elapsed < phase ? elapsed >= next : await CountAsync(cancellationToken) == 0)
            {
                await SendRoundAsync(cancellationToken);
                next += tick;
                _events.Writer.TryWrite(new SoakEvent(SoakEventKind.RoundSent, null));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private void Note(string what)
    {
        lock (_timeline)
        {
            _timeline.Add(string.Create(CultureInfo.InvariantCulture, $"  {_clock.Elapsed.TotalSeconds,6:0.0} s  {what}"));
        }
    }

    private bool IsPhaseDone(TimeSpan elapsed, TimeSpan phase) =>
        elapsed >= phase
        && Volatile.Read(ref _killsHoldingLease) >= _settings.Kills
        && Volatile.Read(ref _breaks) >= _settings.LeaseBreaks
        && BanEndUtc is { } banEnd && _simulator.Market.UtcNow >= banEnd;

    private DateTimeOffset? BanEndUtc
    {
        get
        {
            lock (_faultGate)
            {
                return _banEndUtc;
            }
        }
    }

    /// <summary>How many of <paramref name="count"/> events spread evenly over the phase are due by now.</summary>
    private static int Due(int count, TimeSpan elapsed, TimeSpan phase)
    {
        var due = 0;
        for (var k = 0; k < count; k++)
        {
            if (elapsed >= phase * (k + 1) / (count + 1))
            {
                due++;
            }
        }

        return due;
    }

    /// <summary>On the worker's standard-error thread, the moment it logged that it took the database lease: SIGKILL it
    /// (still holding the lease), or break its lease from outside, when one is due.</summary>
    /// <remarks>Only once the ban started, i.e. once pages are being fetched: a kill's stall (the dead holder's lease
    /// runs out) then overlaps the fetching, and the lease it hits carries fetched rows, not only the first merge that
    /// creates the database.</remarks>
    private void OnLeaseAcquired(CliWorker worker, Stopwatch stopwatch)
    {
        var phase = TimeSpan.FromSeconds(_settings.Seconds);
        var elapsed = stopwatch.Elapsed;
        lock (_faultGate)
        {
            if (worker.Killed || worker.ExitCode is not null || _banEndUtc is null)
            {
                return;
            }

            if (_killsPending == 0 && Volatile.Read(ref _killsHoldingLease) < Due(_settings.Kills, elapsed, phase))
            {
                worker.Kill();
                _killsPending++;
                _ = Task.Run(() => AfterKillAsync(worker));
                return;
            }

            if (_breakPending == 0 && Volatile.Read(ref _breaks) < Due(_settings.LeaseBreaks, elapsed, phase))
            {
                _breakPending++;
                var task = Task.Run(() => BreakLeaseAsync(worker));
                lock (_breakTasks)
                {
                    _breakTasks.Add(task);
                }
            }
        }
    }

    /// <summary>Checks that the killed worker left the lease held, then hands the respawn to the main loop.</summary>
    private async Task AfterKillAsync(CliWorker worker)
    {
        var state = LeaseState.Available;
        try
        {
            BlobProperties properties = await _blob.GetPropertiesAsync();
            state = properties.LeaseState;
        }
        finally
        {
            lock (_faultGate)
            {
                _kills++;
                if (state == LeaseState.Leased)
                {
                    _killsHoldingLease++;
                }

                _killsPending--;
            }

            Note($"SIGKILL {worker.Name} (pid {worker.ProcessId}) after it took the lease; the blob is {state}");
            _events.Writer.TryWrite(new SoakEvent(SoakEventKind.Killed, worker));
        }
    }

    private async Task BreakLeaseAsync(CliWorker worker)
    {
        try
        {
            await _blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
            Interlocked.Increment(ref _breaks);
            Note($"broke the lease {worker.Name} (pid {worker.ProcessId}) had just taken");
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // The merge already gave the lease back: try on the next one.
            Interlocked.Increment(ref _breakMisses);
            Note($"missed breaking the lease of {worker.Name}: already released");
        }
        finally
        {
            lock (_faultGate)
            {
                _breakPending--;
            }
        }
    }

    private async Task HandleAsync(SoakEvent soakEvent, TimeSpan elapsed, TimeSpan phase, CancellationToken cancellationToken)
    {
        if (soakEvent.Kind == SoakEventKind.RoundSent)
        {
            TopUp();
            return;
        }

        var worker = soakEvent.Worker!;
        var slot = _slotOf[worker];
        if (soakEvent.Kind == SoakEventKind.Killed)
        {
            // A replacement at once, in the same slot (same cache folder), as a restarted instance. Its exit may
            // have been handled already, or not yet.
            if (_slots[slot] is null || _slots[slot] == worker)
            {
                Spawn(slot);
            }

            return;
        }

        Note($"{worker.Name} (pid {worker.ProcessId}) exited with {worker.ExitCode}{(worker.Killed ? " (killed)" : "")}");
        if (_slots[slot] != worker)
        {
            return;
        }

        _slots[slot] = null;
        if (!worker.Killed && worker.ExitCode != 0)
        {
            _problems.Add($"Worker {worker.Name} exited with code {worker.ExitCode} without being killed.\n{worker.Tail()}");
        }

        if (!worker.Killed && !IsPhaseDone(elapsed, phase) && await CountAsync(cancellationToken) > 0)
        {
            Spawn(slot);
        }
    }

    /// <summary>Starts workers in empty slots, at most <paramref name="most"/> of them.</summary>
    private void TopUp(int most = int.MaxValue)
    {
        for (var slot = 0; slot < _slots.Length && most > 0; slot++)
        {
            if (_slots[slot] is null)
            {
                Spawn(slot);
                most--;
            }
        }
    }

    private void Spawn(int slot)
    {
        var environment = new Dictionary<string, string>(_environment)
        {
            // A replacement reuses its slot's cache folder, as a restarted process on the same instance would.
            ["Backfill__CacheDirectory"] = _folder.Combine($"cache-{slot}"),
        };
        string[] arguments = ["work", "--until-empty", "--verbose", "--message-visibility", $"{_settings.MessageVisibilitySeconds}s"];
        var worker = CliWorker.Start($"w{slot}.{_generations[slot]++}", environment, arguments, w => OnLeaseAcquired(w, _clock));
        _workers.Add(worker);
        _slots[slot] = worker;
        _slotOf[worker] = slot;
        Note($"started {worker.Name} (pid {worker.ProcessId})");
        _ = worker.Exited.ContinueWith(_ => _events.Writer.TryWrite(new SoakEvent(SoakEventKind.Exited, worker)), TaskScheduler.Default);
    }

    /// <summary>One message per symbol as the timer sends it, some sent again in another accepted form, and one of
    /// each malformed message, shuffled and sent at once.</summary>
    private async Task SendRoundAsync(CancellationToken cancellationToken)
    {
        var messages = new List<string>();
        lock (_validSent)
        {
            foreach (var symbol in _symbols)
            {
                messages.Add(new BackfillRequest(symbol, Bar.OneMinute, _settings.LookbackHours, Trigger: BackfillTriggers.Timer).ToMessageJson());
                _validSent[symbol] = _validSent.GetValueOrDefault(symbol) + 1;
            }

            for (var i = 0; i < _settings.Duplicates; i++)
            {
                var symbol = _symbols[_random.Next(_symbols.Count)];
                var json = new BackfillRequest(symbol, Bar.OneMinute, _settings.LookbackHours, Trigger: BackfillTriggers.Manual).ToMessageJson();
                messages.Add((i % 3) switch
                {
                    0 => json,
                    1 => symbol.ToLowerInvariant(),
                    _ => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)),
                });
                _validSent[symbol]++;
                _duplicates++;
            }

            foreach (var bad in BadMessage.Catalogue)
            {
                messages.Add(bad.Text);
                _badSent.Add(bad.Text);
            }

            messages = [.. messages.OrderBy(_ => _random.Next())];
        }

        await Parallel.ForEachAsync(
            messages,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (message, ct) => await _queue.SendMessageAsync(message, ct));
        var round = Interlocked.Increment(ref _rounds);
        Note($"round {round}: {messages.Count} messages");
    }

    private async Task<int> CountAsync(CancellationToken cancellationToken) =>
        (await _queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;

    /// <summary>Every check of what the soak left; problems go to <see cref="_problems"/>.</summary>
    private async Task<(long Bytes, Dictionary<(string InstId, string Status), int> Runs)> CheckAsync(StringBuilder details, CancellationToken cancellationToken)
    {
        if (await CountAsync(cancellationToken) is var left and > 0)
        {
            _problems.Add($"{left} messages are still in the queue.");
        }

        await CheckPoisonQueueAsync(cancellationToken);
        CheckBan(details);
        if (_simulator.Requests.Count(r => r.StatusCode == 429) is var limited and > 0)
        {
            _problems.Add($"The simulator rate-limited the workers {limited} times: together they went over the exchange's per-IP budget.");
        }

        if (_killsHoldingLease < _settings.Kills || _breaks < _settings.LeaseBreaks)
        {
            _problems.Add($"Only {_killsHoldingLease} kills holding the lease ({_kills} in all) of {_settings.Kills} and {_breaks} lease breaks of {_settings.LeaseBreaks} happened.");
        }

        await using var database = await SoakDatabase.DownloadAsync(_blob, _folder.Combine("final.sqlite"), cancellationToken);
        if (await database.IntegrityCheckAsync(cancellationToken) is var integrity and not "ok")
        {
            _problems.Add($"PRAGMA integrity_check: {integrity}");
        }

        if (await database.DuplicateKeysAsync(cancellationToken) is var duplicates and > 0)
        {
            _problems.Add($"{duplicates} candle keys are stored more than once.");
        }

        if (await database.SourceGapRowsAsync(cancellationToken) is var gaps and > 0)
        {
            _problems.Add($"{gaps} ranges are recorded as absent at the exchange, which has no holes.");
        }

        var strangers = (await database.SymbolsAsync(cancellationToken)).Except(_symbols).ToList();
        if (strangers.Count > 0)
        {
            _problems.Add($"The database holds symbols nobody asked for: {string.Join(", ", strangers)}.");
        }

        await CheckCandlesAsync(database, details, cancellationToken);
        var runs = await database.RunCountsAsync(cancellationToken);
        foreach (var (symbol, sent) in _validSent)
        {
            var succeeded = runs.GetValueOrDefault((symbol, "succeeded"));
            if (succeeded < sent)
            {
                _problems.Add($"{symbol}: {sent} valid messages sent but only {succeeded} succeeded runs recorded.");
            }
        }

        return (database.Bytes, runs);
    }

    private async Task CheckPoisonQueueAsync(CancellationToken cancellationToken)
    {
        var poisoned = new List<PoisonedMessage>();
        while (true)
        {
            QueueMessage[] batch = await _poison.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), cancellationToken);
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                poisoned.Add(JsonSerializer.Deserialize<PoisonedMessage>(message.MessageText, PoisonJson)
                    ?? throw new InvalidOperationException($"Unreadable poison entry: {message.MessageText}"));
            }
        }

        foreach (var bad in BadMessage.Catalogue)
        {
            var sent = _badSent.Count(text => text == bad.Text);
            var entries = poisoned.Where(p => p.Message == bad.Text).ToList();
            if (entries.Count < sent)
            {
                _problems.Add($"Malformed message sent {sent} times but poisoned {entries.Count} times: {bad.Text}");
            }

            foreach (var entry in entries.Where(e => !e.Reason.Contains(bad.ReasonFragment, StringComparison.Ordinal)))
            {
                _problems.Add($"Poisoned '{bad.Text}' with reason '{entry.Reason}', expected it to say '{bad.ReasonFragment}'.");
            }
        }

        foreach (var stray in poisoned.Where(p => BadMessage.Catalogue.All(b => b.Text != p.Message)))
        {
            _problems.Add($"A valid message was poisoned: '{stray.Message}' because '{stray.Reason}'.");
        }
    }

    private void CheckBan(StringBuilder details)
    {
        if (_banStartUtc is not { } start || _banEndUtc is not { } end)
        {
            _problems.Add("The ban never started.");
            return;
        }

        var records = BanAudit.Audit(_simulator.Requests, start, end);
        var allowed = _settings.InFlightPerProcess - 1;
        details.AppendLine(CultureInfo.InvariantCulture, $"Ban {start:HH:mm:ss.fff} to {end:HH:mm:ss.fff} UTC; per process, requests after its first 403 (at most {allowed} allowed: {SoakSettings.BatchSize} messages x {_settings.MaxConcurrentPages} pages in flight, less the first):");
        foreach (var record in records)
        {
            details.AppendLine(CultureInfo.InvariantCulture, $"  pid {record.ProcessId,-7} first 403 at +{(record.FirstForbiddenUtc - start).TotalMilliseconds,6:0} ms, {record.AfterFirstForbidden} more, the last at +{(record.LastDuringBanUtc - start).TotalMilliseconds,6:0} ms");
            if (record.ProcessId == 0)
            {
                _problems.Add($"{record.RequestsDuringBan} requests during the ban named no process in their User-Agent.");
            }
            else if (record.AfterFirstForbidden > allowed)
            {
                _problems.Add($"Process {record.ProcessId} sent {record.AfterFirstForbidden} requests after its first 403 while the ban lasted; at most {allowed} can have been in flight.");
            }

            if (record.Forbidden != record.RequestsDuringBan)
            {
                _problems.Add($"Process {record.ProcessId}: {record.RequestsDuringBan - record.Forbidden} requests during the ban were not answered 403.");
            }
        }

        if (records.Count == 0)
        {
            _problems.Add("The ban hit no request: it proved nothing.");
        }
    }

    /// <summary>Every minute of the span every run's window contains is stored with the exchange's values, and every
    /// stored row is one the exchange has.</summary>
    private async Task CheckCandlesAsync(SoakDatabase database, StringBuilder details, CancellationToken cancellationToken)
    {
        // Windows move with the clock: [end of the last run - lookback, start of the first run - 1 min] is in all.
        var fromMs = CeilingMinute(_endUtc.ToUnixTimeMilliseconds() - (_settings.LookbackHours * 3_600_000L));
        var toMs = FloorMinute(_startUtc.ToUnixTimeMilliseconds()) - MinuteMs;
        details.AppendLine(CultureInfo.InvariantCulture, $"Checked minutes {DateTimeOffset.FromUnixTimeMilliseconds(fromMs):u} to {DateTimeOffset.FromUnixTimeMilliseconds(toMs):u} of {_symbols.Count} symbols.");
        foreach (var symbol in _symbols)
        {
            var stored = await database.CandlesAsync(symbol, cancellationToken);
            var missing = new List<long>();
            for (var ts = fromMs; ts <= toMs; ts += MinuteMs)
            {
                if (_simulator.Market.TryGetCandle(symbol, "1m", ts, out _) && !stored.ContainsKey(ts))
                {
                    missing.Add(ts);
                }
            }

            if (missing.Count > 0)
            {
                _problems.Add($"{symbol}: {missing.Count} minutes missing, first {DateTimeOffset.FromUnixTimeMilliseconds(missing[0]):u}.");
            }

            var wrong = stored.Where(row => !Matches(symbol, row.Key, row.Value)).Select(row => row.Key).Order().ToList();
            if (wrong.Count > 0)
            {
                _problems.Add($"{symbol}: {wrong.Count} stored rows differ from the exchange's candles, first {DateTimeOffset.FromUnixTimeMilliseconds(wrong[0]):u}.");
            }
        }
    }

    private bool Matches(string symbol, long ts, double[] values)
    {
        if (!_simulator.Market.TryGetCandle(symbol, "1m", ts, out var candle) || !candle.IsConfirmed)
        {
            return false;
        }

        decimal[] expected = [candle.Open, candle.High, candle.Low, candle.Close, candle.Volume, candle.VolumeCurrency, candle.VolumeQuote];
        return expected.Zip(values).All(pair => Math.Abs((double)pair.First - pair.Second) <= Math.Abs((double)pair.First) * 1e-12);
    }

    private static long FloorMinute(long ms) => ms - (ms % MinuteMs);

    private static long CeilingMinute(long ms) => ms % MinuteMs == 0 ? ms : FloorMinute(ms) + MinuteMs;

    private string SaveWorkerLogs()
    {
        var folder = Path.Combine(Path.GetTempPath(), "blofin-soak-logs", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-seed{_settings.Seed}");
        Directory.CreateDirectory(folder);
        foreach (var worker in _workers)
        {
            File.WriteAllText(Path.Combine(folder, $"{worker.Name}-pid{worker.ProcessId}.log"), worker.FullLog());
        }

        return folder;
    }

    private readonly record struct SoakEvent(SoakEventKind Kind, CliWorker? Worker);
}
