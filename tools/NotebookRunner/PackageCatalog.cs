using System.Reflection;

namespace Andes.NotebookRunner;

/// <summary>The Andes package version the notebooks pin (<c>#r "nuget: Andes.GenAI, VERSION"</c>).</summary>
public static class PackageCatalog
{
    /// <summary>The Andes package version this runner was built with (Directory.Build.props' <c>Version</c>).</summary>
    public static string BuiltAndesVersion =>
        typeof(PackageCatalog).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "AndesPackageVersion")?.Value
        ?? throw new InvalidOperationException("The runner was built without the AndesPackageVersion assembly metadata.");
}
