namespace Blofin.Backfill.Storage;

/// <summary>The schema's history. Append a step to change the schema; never edit a released one, since
/// files in the blob were written with it. <c>PRAGMA user_version</c> holds the last step applied.</summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "candles, gap_fill_runs, source_gaps, instruments", """
            CREATE TABLE candles (
                inst_id      TEXT    NOT NULL,
                bar          TEXT    NOT NULL,
                ts           INTEGER NOT NULL,
                open         REAL    NOT NULL,
                high         REAL    NOT NULL,
                low          REAL    NOT NULL,
                close        REAL    NOT NULL,
                vol          REAL    NOT NULL,
                vol_currency REAL    NOT NULL,
                vol_quote    REAL    NOT NULL,
                PRIMARY KEY (inst_id, bar, ts)
            ) WITHOUT ROWID;

            CREATE TABLE gap_fill_runs (
                id                INTEGER PRIMARY KEY,
                inst_id           TEXT    NOT NULL,
                bar               TEXT    NOT NULL,
                trigger           TEXT    NOT NULL,
                window_start_ts   INTEGER NOT NULL,
                window_end_ts     INTEGER NOT NULL,
                expected          INTEGER NOT NULL,
                present_before    INTEGER NOT NULL,
                present_after     INTEGER NOT NULL,
                requests          INTEGER NOT NULL,
                inserted          INTEGER NOT NULL,
                source_gaps_found INTEGER NOT NULL,
                status            TEXT    NOT NULL,
                error             TEXT,
                started_at_ms     INTEGER NOT NULL,
                finished_at_ms    INTEGER NOT NULL,
                bytes_downloaded  INTEGER,
                bytes_uploaded    INTEGER,
                blocks_staged     INTEGER,
                blocks_reused     INTEGER,
                file_bytes        INTEGER
            );

            CREATE INDEX gap_fill_runs_by_symbol ON gap_fill_runs (inst_id, bar, started_at_ms);

            CREATE TABLE source_gaps (
                inst_id            TEXT    NOT NULL,
                bar                TEXT    NOT NULL,
                start_ts           INTEGER NOT NULL,
                end_ts             INTEGER NOT NULL,
                reason             TEXT    NOT NULL CHECK (reason IN ('hole', 'before_history')),
                detected_at_ms     INTEGER NOT NULL,
                request_after_ts   INTEGER NOT NULL,
                request_limit      INTEGER NOT NULL,
                newer_neighbour_ts INTEGER,
                older_neighbour_ts INTEGER,
                CHECK (end_ts >= start_ts),
                PRIMARY KEY (inst_id, bar, start_ts, end_ts)
            ) WITHOUT ROWID;

            CREATE TABLE instruments (
                inst_id       TEXT    NOT NULL PRIMARY KEY,
                list_time_ms  INTEGER NOT NULL,
                state         TEXT    NOT NULL,
                updated_at_ms INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
        new(2, "hole rechecks, candle_revisions, gap_fill_runs.revised", """
            -- A hole is asked for once more after Backfill:HoleRecheckAfter; if the exchange still lacks it, it
            -- becomes final (never asked for again), with the request of the second look as its evidence.
            ALTER TABLE source_gaps ADD COLUMN final INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0, 1));
            ALTER TABLE source_gaps ADD COLUMN rechecked_at_ms INTEGER;
            ALTER TABLE source_gaps ADD COLUMN recheck_request_after_ts INTEGER;
            ALTER TABLE source_gaps ADD COLUMN recheck_request_limit INTEGER;

            -- A stored candle the exchange later served with other values: the row it replaced, and when.
            CREATE TABLE candle_revisions (
                inst_id        TEXT    NOT NULL,
                bar            TEXT    NOT NULL,
                ts             INTEGER NOT NULL,
                revised_at_ms  INTEGER NOT NULL,
                open           REAL    NOT NULL,
                high           REAL    NOT NULL,
                low            REAL    NOT NULL,
                close          REAL    NOT NULL,
                vol            REAL    NOT NULL,
                vol_currency   REAL    NOT NULL,
                vol_quote      REAL    NOT NULL,
                changed        TEXT    NOT NULL,
                PRIMARY KEY (inst_id, bar, ts, revised_at_ms)
            ) WITHOUT ROWID;

            ALTER TABLE gap_fill_runs ADD COLUMN revised INTEGER NOT NULL DEFAULT 0;
            """),
    ];

    public static int LatestVersion => All[^1].Version;
}
