using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Blofin.Simulator;

/// <summary>A simulator on a fake clock and a plain HttpClient to it: the simulator is checked on its own, over HTTP,
/// without the project's client.</summary>
internal sealed class SimulatorHost : IAsyncDisposable
{
    private SimulatorHost(BlofinSimulator simulator, FakeTimeProvider time)
    {
        Simulator = simulator;
        Time = time;
        Http = new HttpClient { BaseAddress = simulator.BaseUrl };
    }

    public BlofinSimulator Simulator { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    public static async Task<SimulatorHost> StartAsync(DateTimeOffset now, Action<SimulatorOptions>? configure = null)
    {
        var options = SimulatorOptions.CreateDefault();
        configure?.Invoke(options);
        var time = new FakeTimeProvider(now);
        return new SimulatorHost(await BlofinSimulator.StartAsync(options, time, cancellationToken: TestContext.Current.CancellationToken), time);
    }

    /// <summary>GETs the path and returns the status and the parsed body (null when it is not JSON).</summary>
    public async Task<(int Status, JsonElement? Body)> GetAsync(string pathAndQuery)
    {
        using var response = await Http.GetAsync(new Uri(pathAndQuery, UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        try
        {
            return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
        }
        catch (JsonException)
        {
            return ((int)response.StatusCode, null);
        }
    }

    /// <summary>The <c>ts</c> of each row, with its confirm flag.</summary>
    public static (long Ts, string Confirm)[] Rows(JsonElement body) =>
        [.. body.GetProperty("data").EnumerateArray().Select(row => (long.Parse(row[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture), row[8].GetString()!))];

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}
