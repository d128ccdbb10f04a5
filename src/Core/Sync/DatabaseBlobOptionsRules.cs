using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Sync;

/// <summary>Checks the rules of <see cref="DatabaseBlobOptions"/> that span several settings.</summary>
internal sealed class DatabaseBlobOptionsRules : IValidateOptions<DatabaseBlobOptions>
{
    private const string SectionName = DatabaseBlobOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, DatabaseBlobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        // A worker that dies holding the lease blocks the others until the lease expires; a deadline
        // shorter than that would fail every merge behind a dead holder.
        if (options.LeaseAcquireTimeout < options.LeaseDuration)
        {
            failures.Add($"{SectionName}:{nameof(options.LeaseAcquireTimeout)} ({options.LeaseAcquireTimeout}) must be at least {SectionName}:{nameof(options.LeaseDuration)} ({options.LeaseDuration}), so a merge can outwait a dead holder's lease.");
        }

        if (options.LeaseRetryMaxDelay < options.LeaseRetryDelay)
        {
            failures.Add($"{SectionName}:{nameof(options.LeaseRetryMaxDelay)} ({options.LeaseRetryMaxDelay}) must be at least {SectionName}:{nameof(options.LeaseRetryDelay)} ({options.LeaseRetryDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
