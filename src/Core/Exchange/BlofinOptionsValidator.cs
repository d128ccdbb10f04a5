using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Exchange;

/// <summary>The DataAnnotations rules of <see cref="BlofinOptions"/>, checked by generated code (no reflection).</summary>
[OptionsValidator]
internal sealed partial class BlofinOptionsValidator : IValidateOptions<BlofinOptions>
{
}
