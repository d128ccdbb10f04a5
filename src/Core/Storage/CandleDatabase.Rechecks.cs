using Blofin.Backfill.Coverage;
using Blofin.Backfill.Exchange;
using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Storage;

// The second look at recorded source gaps.
public sealed partial class CandleDatabase
{
    /// <summary>Records what the second look at source gaps found, in one transaction: each resolved gap is
    /// replaced by its <see cref="HoleRecheckOutcome.Final"/> ranges (final, with the recheck's request as
    /// further evidence) and its <see cref="HoleRecheckOutcome.StillDue"/> ranges (as they were); its
    /// <see cref="HoleRecheckOutcome.Filled"/> bars are dropped from it (store their candles in the same
    /// write). An unresolved outcome, or a gap no longer recorded (another run resolved it), changes nothing.</summary>
    /// <returns>The number of recorded gaps replaced.</returns>
    public async Task<int> ApplyHoleRechecksAsync(string instId, Bar bar, IEnumerable<HoleRecheckOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instId);
        ArgumentNullException.ThrowIfNull(outcomes);
        var lengthMs = RequireBar(bar);
        var resolved = outcomes.Where(outcome => outcome?.IsResolved ?? throw new ArgumentException("An outcome is null.", nameof(outcomes))).ToList();
        foreach (var range in resolved.SelectMany(o => o.Final.Concat(o.StillDue).Concat(o.Filled)))
        {
            if (range.EndMs < range.StartMs || !BarMath.IsAligned(range.StartMs, lengthMs) || !BarMath.IsAligned(range.EndMs, lengthMs))
            {
                throw new ArgumentException($"Range {range} of {instId} is empty or not on {bar.Name} bar boundaries; nothing was changed.", nameof(outcomes));
            }
        }

        using var scope = await LockAsync(cancellationToken);
        ThrowIfReadOnly();
        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
        await using var delete = _connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = """
            DELETE FROM source_gaps
            WHERE inst_id = $inst_id AND bar = $bar AND start_ts = $start_ts AND end_ts = $end_ts AND final = 0
            """;
        delete.Parameters.AddWithValue("$inst_id", instId);
        delete.Parameters.AddWithValue("$bar", bar.Name);
        var deleteStart = delete.Parameters.Add("$start_ts", SqliteType.Integer);
        var deleteEnd = delete.Parameters.Add("$end_ts", SqliteType.Integer);

        await using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO source_gaps (inst_id, bar, start_ts, end_ts, reason, detected_at_ms, request_after_ts, request_limit,
                                     newer_neighbour_ts, older_neighbour_ts, final, rechecked_at_ms, recheck_request_after_ts, recheck_request_limit)
            VALUES ($inst_id, $bar, $start_ts, $end_ts, $reason, $detected_at_ms, $request_after_ts, $request_limit,
                    $newer_neighbour_ts, $older_neighbour_ts, $final, $rechecked_at_ms, $recheck_request_after_ts, $recheck_request_limit)
            ON CONFLICT (inst_id, bar, start_ts, end_ts) DO NOTHING
            """;
        insert.Parameters.AddWithValue("$inst_id", instId);
        insert.Parameters.AddWithValue("$bar", bar.Name);
        var p = insert.Parameters;
        var startTs = p.Add("$start_ts", SqliteType.Integer);
        var endTs = p.Add("$end_ts", SqliteType.Integer);
        var reason = p.Add("$reason", SqliteType.Text);
        var detectedAt = p.Add("$detected_at_ms", SqliteType.Integer);
        var requestAfter = p.Add("$request_after_ts", SqliteType.Integer);
        var requestLimit = p.Add("$request_limit", SqliteType.Integer);
        var newer = p.Add("$newer_neighbour_ts", SqliteType.Integer);
        var older = p.Add("$older_neighbour_ts", SqliteType.Integer);
        var final = p.Add("$final", SqliteType.Integer);
        var recheckedAt = p.Add("$rechecked_at_ms", SqliteType.Integer);
        var recheckAfter = p.Add("$recheck_request_after_ts", SqliteType.Integer);
        var recheckLimit = p.Add("$recheck_request_limit", SqliteType.Integer);

        int replaced = 0, finalRanges = 0, dueRanges = 0;
        foreach (var outcome in resolved)
        {
            var hole = outcome.Hole;
            deleteStart.Value = hole.Range.StartMs;
            deleteEnd.Value = hole.Range.EndMs;
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                // Resolved already (a merge run twice, or another worker's run): what it recorded stands.
                continue;
            }

            replaced++;
            reason.Value = ReasonText(hole.Reason);
            detectedAt.Value = hole.DetectedAtMs;
            requestAfter.Value = hole.RequestAfterMs;
            requestLimit.Value = hole.RequestLimit;
            newer.Value = (object?)hole.NewerNeighbourMs ?? DBNull.Value;
            older.Value = (object?)hole.OlderNeighbourMs ?? DBNull.Value;
            foreach (var (range, isFinal) in outcome.Final.Select(r => (r, true)).Concat(outcome.StillDue.Select(r => (r, false))))
            {
                startTs.Value = range.StartMs;
                endTs.Value = range.EndMs;
                final.Value = isFinal ? 1 : 0;
                recheckedAt.Value = isFinal ? (object)outcome.RecheckedAtMs : DBNull.Value;
                recheckAfter.Value = isFinal ? (object)outcome.RequestAfterMs : DBNull.Value;
                recheckLimit.Value = isFinal ? (object)outcome.RequestLimit : DBNull.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken);
                finalRanges += isFinal ? 1 : 0;
                dueRanges += isFinal ? 0 : 1;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        Log.HoleRechecksApplied(_logger, replaced, instId, bar.Name, finalRanges, dueRanges);
        return replaced;
    }
}
