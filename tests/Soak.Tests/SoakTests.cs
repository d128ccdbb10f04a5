using Blofin.Backfill.Testing;

namespace Blofin.Backfill.Soak;

/// <summary>The bounded soak: many worker processes drain the queue through the queue function's handler while the
/// exchange fails, bans and slows down, workers are killed holding the database lease and a lease is broken; nothing
/// the exchange has may be missing at the end. Sized by SOAK_* variables (see <see cref="SoakSettings"/>).</summary>
[Trait("Category", "Soak")]
public sealed class SoakTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Drain_FaultsKillsBanAndBadMessages_LosesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = SoakSettings.FromEnvironment();
        output.WriteLine($"Soak settings: {settings}");

        await using var run = await SoakRun.StartAsync(settings, azurite, ct);
        var (counters, problems, details) = await run.RunAsync(ct);

        output.WriteLine(counters.ToString());
        output.WriteLine(details);
        foreach (var problem in problems)
        {
            output.WriteLine($"PROBLEM: {problem}");
        }

        Assert.True(problems.Count == 0, $"The soak (seed {settings.Seed}) found {problems.Count} problems:\n{string.Join("\n", problems)}");
    }
}
