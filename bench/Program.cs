using BenchmarkDotNet.Running;

namespace Blofin.Backfill.Bench;

/// <summary>The benchmark's entry: the end-to-end scenarios (default) or the micro benchmarks (<c>micro</c>).</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "micro")
        {
            string[] rest = args.Length > 1 ? args[1..] : ["--filter", "*"];
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest);
            return 0;
        }

        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(BenchSettings.Usage);
            return 0;
        }

        BenchSettings settings;
        try
        {
            settings = BenchSettings.Parse(args);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync(BenchSettings.Usage);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var workFolder = Path.Combine(Path.GetTempPath(), $"blofin-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(workFolder);
        try
        {
            var root = RepositoryRoot.Find();
            await using var azurite = await AzuriteServer.StartAsync(root, cancellation.Token);
            var run = new BenchRun(settings, azurite, workFolder, Console.Error);
            var command = "dotnet run -c Release --project bench --" + (args.Length == 0 ? "" : " " + string.Join(' ', args));
            var report = await run.RunAsync(command, cancellation.Token);

            Console.WriteLine();
            Console.WriteLine(ReportTable.Render(report));
            if (settings.JsonPath is { } json)
            {
                await File.WriteAllTextAsync(json, report.ToJson(), cancellation.Token);
                Console.WriteLine($"JSON written to {Path.GetFullPath(json)}");
            }

            var problems = report.Scenarios.Sum(s => s.Problems.Count);
            if (problems > 0)
            {
                await Console.Error.WriteLineAsync($"{problems} check(s) failed; see PROBLEM lines above.");
                return 1;
            }

            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(workFolder, recursive: true);
            }
            catch (IOException)
            {
                // A cache file still held open: the temp folder is left behind, harmless.
            }
        }
    }
}
