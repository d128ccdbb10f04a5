using System.Globalization;
using Spectre.Console;

namespace Blofin.Backfill.Cli.Output;

/// <summary>The top bar of a run's progress display: symbols finished out of all, and how many run or failed.</summary>
internal sealed class OverallBar
{
    private readonly ProgressTask _bar;
    private readonly int _total;
    private int _running;
    private int _finished;
    private int _failed;

    public OverallBar(ProgressTask bar, int total)
    {
        _bar = bar;
        _total = total;
        Update();
    }

    public void Started()
    {
        Interlocked.Increment(ref _running);
        Update();
    }

    public void Finished(bool succeeded)
    {
        if (!succeeded)
        {
            Interlocked.Increment(ref _failed);
        }

        Interlocked.Decrement(ref _running);
        Interlocked.Increment(ref _finished);
        _bar.Increment(1);
        Update();
    }

    private void Update()
    {
        var failed = Volatile.Read(ref _failed);
        _bar.Description = string.Create(
            CultureInfo.InvariantCulture,
            $"[bold]{Volatile.Read(ref _finished)}/{_total} symbols[/], {Volatile.Read(ref _running)} running{(failed == 0 ? string.Empty : $", [red]{failed} incomplete[/]")}");
    }
}
