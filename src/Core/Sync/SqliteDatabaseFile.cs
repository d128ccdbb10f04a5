using Microsoft.Data.Sqlite;

namespace Blofin.Backfill.Sync;

/// <summary>What the blob sync needs to know about a SQLite file, with connections of its own (never pooled).</summary>
internal static class SqliteDatabaseFile
{
    private const int HeaderLength = 100;
    private const int ProblemLines = 5;

    private static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    /// <summary>Writes an empty database (one page, rollback journal) at <paramref name="path"/>.</summary>
    public static void CreateEmpty(string path)
    {
        using var connection = Open(path, SqliteOpenMode.ReadWriteCreate);
        using var command = connection.CreateCommand();
        // Setting the user version writes the header page, so the file is a database and not zero bytes.
        command.CommandText = """
            PRAGMA journal_mode = DELETE;
            PRAGMA user_version = 0;
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>Null when the file is a sound SQLite database, else what is wrong with it.</summary>
    public static async Task<string?> CheckAsync(string path, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            return null; // SQLite reads an empty file as an empty database.
        }

        if (length < HeaderLength)
        {
            return $"{length} bytes, shorter than a SQLite header";
        }

        var header = new byte[Magic.Length];
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, useAsync: true))
        {
            await file.ReadExactlyAsync(header, cancellationToken);
        }

        if (!header.AsSpan().SequenceEqual(Magic))
        {
            return "no SQLite header";
        }

        try
        {
            await using var connection = Open(path, SqliteOpenMode.ReadWrite);
            return await QuickCheckAsync(connection, cancellationToken);
        }
        catch (SqliteException ex)
        {
            return $"SQLite error {ex.SqliteErrorCode}: {ex.Message}";
        }
    }

    /// <summary>Folds the write-ahead log into the file and leaves it in rollback-journal mode, so the
    /// file alone is the database; then returns the quick_check's verdict (null when sound).</summary>
    /// <exception cref="InvalidOperationException">A connection to the file is still open.</exception>
    public static Task<string?> FinishAsync(string path, CancellationToken cancellationToken) =>
        FinishAsync(path, quickCheck: true, cancellationToken);

    /// <summary>Folds the write-ahead log into the file like <see cref="FinishAsync(string, CancellationToken)"/>;
    /// without <paramref name="quickCheck"/> it skips the check (for a file checked since, changed only in place).</summary>
    /// <exception cref="InvalidOperationException">A connection to the file is still open.</exception>
    public static async Task<string?> FinishAsync(string path, bool quickCheck, CancellationToken cancellationToken)
    {
        await using (var connection = Open(path, SqliteOpenMode.ReadWrite))
        {
            await using (var checkpoint = connection.CreateCommand())
            {
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                await using var reader = await checkpoint.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) != 0)
                {
                    throw StillOpen(path);
                }
            }

            await using (var journal = connection.CreateCommand())
            {
                journal.CommandText = "PRAGMA journal_mode = DELETE;";
                var mode = (string?)await journal.ExecuteScalarAsync(cancellationToken);
                if (!string.Equals(mode, "delete", StringComparison.OrdinalIgnoreCase))
                {
                    throw StillOpen(path);
                }
            }

            var problem = quickCheck ? await QuickCheckAsync(connection, cancellationToken) : null;
            if (problem is not null)
            {
                return problem;
            }
        }

        return File.Exists(path + "-wal") ? throw StillOpen(path) : null;
    }

    private static async Task<string?> QuickCheckAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA quick_check({ProblemLines});";
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return lines is ["ok"] ? null : $"quick_check: {string.Join("; ", lines)}";
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static InvalidOperationException StillOpen(string path) => new(
        $"A connection to '{path}' is still open after the merge's apply returned; apply must dispose every connection it opens before it returns.");
}
