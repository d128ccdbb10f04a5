namespace Blofin.Simulator;

/// <summary>Blofin's per-IP limits, counted exactly: a request is admitted when fewer than the limit were admitted
/// in the window ending at it; the request past a limit gets 429 and suspends the IP, which then gets 403 until
/// the suspension ends.</summary>
internal sealed class ClientRateLimits(SimulatorOptions options)
{
    private readonly Dictionary<string, ClientWindow> _clients = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public RateVerdict Admit(string clientIp, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_clients.TryGetValue(clientIp, out var client))
            {
                client = new ClientWindow();
                _clients[clientIp] = client;
            }

            if (now < client.SuspendedUntil)
            {
                return RateVerdict.Banned;
            }

            var ticks = now.UtcTicks;
            Expire(client.ShortWindow, ticks - options.ShortWindow.Ticks);
            Expire(client.LongWindow, ticks - options.LongWindow.Ticks);
            var suspension = TimeSpan.Zero;
            if (client.ShortWindow.Count >= options.ShortWindowLimit)
            {
                suspension = options.ShortWindowBan;
            }

            if (client.LongWindow.Count >= options.LongWindowLimit && options.LongWindowBan > suspension)
            {
                suspension = options.LongWindowBan;
            }

            if (suspension > TimeSpan.Zero)
            {
                client.SuspendedUntil = now + suspension;
                return RateVerdict.RateLimited;
            }

            client.ShortWindow.Enqueue(ticks);
            client.LongWindow.Enqueue(ticks);
            return RateVerdict.Admitted;
        }
    }

    /// <summary>Suspends every client (current and future) until <paramref name="until"/>.</summary>
    public void SuspendAll(DateTimeOffset until, IEnumerable<string> clientIps)
    {
        lock (_lock)
        {
            foreach (var ip in clientIps)
            {
                if (!_clients.TryGetValue(ip, out var client))
                {
                    client = new ClientWindow();
                    _clients[ip] = client;
                }

                client.SuspendedUntil = until;
            }
        }
    }

    /// <summary>Drops requests at or before the window's open end.</summary>
    private static void Expire(Queue<long> window, long openEndTicks)
    {
        while (window.Count > 0 && window.Peek() <= openEndTicks)
        {
            window.Dequeue();
        }
    }

    private sealed class ClientWindow
    {
        public Queue<long> ShortWindow { get; } = new();

        public Queue<long> LongWindow { get; } = new();

        public DateTimeOffset SuspendedUntil { get; set; } = DateTimeOffset.MinValue;
    }
}
