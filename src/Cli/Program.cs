using Blofin.Backfill.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C cancels cleanly (a merge in flight finishes or is abandoned whole); a second kills.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

var console = CliConsole.FromProcess();
return await CliApplication.RunAsync(args, console, environmentOverrides: null, cancellation.Token);
