using System.Diagnostics;
using System.Text.Json;

namespace Blofin.Simulator;

/// <summary>The executable as scripts use it: started as a process, read for its one line, stopped.</summary>
public sealed class SimulatorProgramTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Main_PortZero_PrintsExactlyOneListeningLineAndServes()
    {
        using var process = Start("--port", "0", "--seed", "3");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(Token).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Token);
            Assert.NotNull(line);
            Assert.Matches(@"^Listening on http://127\.0\.0\.1:\d+$", line);
            using var http = new HttpClient { BaseAddress = new Uri(line["Listening on ".Length..]) };

            var candles = await http.GetStringAsync(new Uri("/api/v1/market/candles?instId=BTC-USDT&limit=2", UriKind.Relative), Token);
            using var advanced = await http.PostAsync(new Uri("/_simulator/clock/advance?minutes=60", UriKind.Relative), null, Token);
            var log = await http.GetStringAsync(new Uri("/_simulator/requests", UriKind.Relative), Token);

            Assert.Equal(2, JsonDocument.Parse(candles).RootElement.GetProperty("data").GetArrayLength());
            Assert.True(advanced.IsSuccessStatusCode);
            Assert.Equal(60, JsonDocument.Parse(await advanced.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("offsetMinutes").GetDouble());
            Assert.Single(JsonDocument.Parse(log).RootElement.EnumerateArray());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Token);
        }

        var rest = await process.StandardOutput.ReadToEndAsync(Token);
        Assert.Equal("", rest);
    }

    [Fact]
    public async Task Main_BadArgument_ExitsWithUsageOnStandardError()
    {
        using var process = Start("--port", "nope");

        await process.WaitForExitAsync(Token).WaitAsync(TimeSpan.FromSeconds(30), Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("", await process.StandardOutput.ReadToEndAsync(Token));
        Assert.Contains("usage:", await process.StandardError.ReadToEndAsync(Token), StringComparison.Ordinal);
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Blofin.Simulator.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }
}
