using System.Runtime.InteropServices;
using Blofin.Simulator;
using Microsoft.Extensions.Logging;

// Prints exactly one line to stdout, "Listening on http://127.0.0.1:PORT", once it serves; everything else goes to
// stderr. Runs until Ctrl+C or SIGTERM.
SimulatorCommandLine commandLine;
try
{
    commandLine = SimulatorCommandLine.Parse(args);
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    await Console.Error.WriteLineAsync(SimulatorCommandLine.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

await using var simulator = await BlofinSimulator.StartAsync(
    commandLine.Options,
    timeProvider: null,
    commandLine.Port,
    logging => logging.AddSimpleConsole().AddFilter(level => level >= LogLevel.Warning)
        .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace),
    stop.Token);
Console.Out.WriteLine($"Listening on {simulator.BaseUrl.GetLeftPart(UriPartial.Authority)}");
await Console.Out.FlushAsync();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;
