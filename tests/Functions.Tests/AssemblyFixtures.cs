using Blofin.Backfill.Testing;

// One Azurite for the whole assembly: the one scripts/test.sh started, or one the fixture starts on first use.
[assembly: AssemblyFixture(typeof(AzuriteFixture))]
