using System.Reflection;

namespace Blofin.Backfill.Functions;

/// <summary>Where the apps under test were built: the project file records the folders for the
/// configuration the tests were built in, and the build of this project builds them first.</summary>
internal static class BuildOutput
{
    /// <summary>src/Functions' build output.</summary>
    public static string FunctionsApp => Directory("FunctionsAppDirectory");

    /// <summary>tests/FunctionsHost.SampleApp's build output.</summary>
    public static string SampleApp => Directory("SampleAppDirectory");

    public static string RepositoryRoot => Directory("RepositoryRoot");

    private static string Directory(string key)
    {
        var path = typeof(BuildOutput).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        return System.IO.Directory.Exists(path)
            ? path
            : throw new DirectoryNotFoundException($"{path} ({key}) does not exist: build the solution (or this test project) in this configuration first.");
    }
}
