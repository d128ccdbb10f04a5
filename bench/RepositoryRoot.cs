namespace Blofin.Backfill.Bench;

/// <summary>Finds the repository (the folder holding Blofin.sln) above the running assembly or the working folder.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Blofin.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new InvalidOperationException("Blofin.sln was not found above the bench's folder or the working folder.");
    }
}
