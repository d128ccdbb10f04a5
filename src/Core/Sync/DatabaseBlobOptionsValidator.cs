using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Sync;

/// <summary>Checks the data annotations of <see cref="DatabaseBlobOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class DatabaseBlobOptionsValidator : IValidateOptions<DatabaseBlobOptions>;
