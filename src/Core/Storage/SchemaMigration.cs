namespace Blofin.Backfill.Storage;

/// <summary>One forward step of the schema: running <see cref="Sql"/> on a file at
/// <c>Version - 1</c> brings it to <see cref="Version"/>.</summary>
internal sealed record SchemaMigration(int Version, string Description, string Sql);
