using System.Text.Json;

namespace Andes.Samples.Tests;

/// <summary>The .NET SDK's cache of file-based app builds (<c>~/.local/share/dotnet/runfile/app-HASH</c>).</summary>
internal static class RunFileCache
{
    /// <summary>The cache folder.</summary>
    public static string Root { get; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "dotnet", "runfile");

    /// <summary>Deletes the cached builds of one app (found by the project path their restore recorded).</summary>
    /// <param name="appPath">The app's .cs file.</param>
    /// <returns>How many cache folders were deleted.</returns>
    public static int Remove(string appPath)
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        string project = Path.GetFullPath(appPath) + ".csproj";
        int removed = 0;
        foreach (string dir in Directory.EnumerateDirectories(Root, "app-*"))
        {
            string assets = Path.Combine(dir, "obj", "project.assets.json");
            if (File.Exists(assets) && ProjectPath(assets) == project)
            {
                Directory.Delete(dir, recursive: true);
                removed++;
            }
        }

        return removed;
    }

    private static string? ProjectPath(string assets)
    {
        try
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(assets));
            return json.RootElement.GetProperty("project").GetProperty("restore").GetProperty("projectPath").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or IOException)
        {
            return null;
        }
    }
}
