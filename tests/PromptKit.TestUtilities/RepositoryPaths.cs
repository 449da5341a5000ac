namespace PromptKit.TestUtilities;

/// <summary>Paths in the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>Gets the repository's root folder, found by walking up from the test binaries to PromptKit.sln.</summary>
    /// <exception cref="InvalidOperationException">No folder above the test binaries holds PromptKit.sln.</exception>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PromptKit.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException($"No folder above '{AppContext.BaseDirectory}' holds PromptKit.sln.");
        }
    }
}
