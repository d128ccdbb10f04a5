namespace Blofin.Backfill.Export;

/// <summary>The folder an export writes to: created (with its parents) if missing, checked writable before anything
/// is read, files staged under temporary names and moved into place together; on failure the temporary files and
/// the folders this export created are removed again.</summary>
internal sealed class OutputFolder
{
    private readonly List<string> _created = [];
    private readonly List<StagedFile> _staged = [];

    /// <exception cref="InvalidExportRequestException">The folder cannot be created or written.</exception>
    public OutputFolder(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidExportRequestException("no output folder given (--out DIR).");
        }

        FullPath = Path.GetFullPath(path);
        Create(FullPath);
        Probe();
    }

    public string FullPath { get; }

    /// <summary>Reserves a temporary file beside <paramref name="relativePath"/>'s target (same folder, so the final move
    /// is a rename), creating the folders it needs.</summary>
    public StagedFile Stage(string relativePath)
    {
        var finalPath = Path.Combine(FullPath, relativePath);
        Create(Path.GetDirectoryName(finalPath)!);
        var staged = new StagedFile($"{finalPath}.{Guid.NewGuid().ToString("N")[..8]}.partial", finalPath);
        _staged.Add(staged);
        return staged;
    }

    /// <summary>Moves every staged file to its target, replacing a file already there.</summary>
    public void Commit()
    {
        foreach (var file in _staged)
        {
            File.Move(file.TempPath, file.FinalPath, overwrite: true);
        }

        _staged.Clear();
        _created.Clear();
    }

    /// <summary>Deletes the staged files and the folders this export created (when empty).</summary>
    public void Abandon()
    {
        foreach (var file in _staged)
        {
            File.Delete(file.TempPath);
        }

        _staged.Clear();
        for (var i = _created.Count - 1; i >= 0; i--)
        {
            if (Directory.Exists(_created[i]) && !Directory.EnumerateFileSystemEntries(_created[i]).Any())
            {
                Directory.Delete(_created[i]);
            }
        }

        _created.Clear();
    }

    private void Create(string folder)
    {
        var missing = new Stack<string>();
        for (var current = folder; !string.IsNullOrEmpty(current) && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Push(current);
        }

        try
        {
            while (missing.TryPop(out var next))
            {
                Directory.CreateDirectory(next);
                _created.Add(next);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Abandon();
            throw new InvalidExportRequestException($"cannot create the output folder '{folder}': {OneLine(ex)}", ex);
        }
    }

    private void Probe()
    {
        var probe = Path.Combine(FullPath, $".blofin-export-{Guid.NewGuid():N}.probe");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Abandon();
            throw new InvalidExportRequestException($"cannot write to the output folder '{FullPath}': {OneLine(ex)}", ex);
        }
    }

    private static string OneLine(Exception ex) => ex.Message.ReplaceLineEndings(" ");

    /// <summary>A file being written under <see cref="TempPath"/>, to become <see cref="FinalPath"/>.</summary>
    public sealed record StagedFile(string TempPath, string FinalPath);
}
