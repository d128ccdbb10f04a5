namespace Blofin.Simulator;

/// <summary>Which market requests fail: first the scripted ones in order, then a seeded draw per request.</summary>
internal sealed class FaultSchedule(SimulatorOptions options)
{
    private readonly Queue<ScriptedReply> _scripted = new();
    private readonly Random _random = new(options.FaultSeed);
    private readonly Lock _lock = new();

    public void Enqueue(ScriptedReply reply)
    {
        lock (_lock)
        {
            _scripted.Enqueue(reply);
        }
    }

    public ScriptedReply? Next()
    {
        lock (_lock)
        {
            if (_scripted.TryDequeue(out var scripted))
            {
                return scripted;
            }

            var draw = _random.NextDouble();
            foreach (var (rate, fault) in new[]
            {
                (options.ServerErrorRate, SimulatedFault.ServerError),
                (options.SlowResponseRate, SimulatedFault.SlowResponse),
                (options.MalformedBodyRate, SimulatedFault.MalformedBody),
                (options.TruncatedBodyRate, SimulatedFault.TruncatedBody),
            })
            {
                if (draw < rate)
                {
                    return new ScriptedReply(fault, null, null);
                }

                draw -= rate;
            }

            return null;
        }
    }
}
