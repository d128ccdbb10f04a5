using Blofin.Backfill.Testing;

// One Azurite for the whole assembly: the one scripts/test.sh started, or one the fixture starts on first use
// (only the queue and blob tests ask for it).
[assembly: AssemblyFixture(typeof(AzuriteFixture))]
