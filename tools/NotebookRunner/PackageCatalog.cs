using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Andes.NotebookRunner;

/// <summary>
/// What a notebook's <c>#r "nuget: Name, Version"</c> lines may ask for: the packages the runner itself was built
/// with (from its <c>.deps.json</c>), and this repository's Andes projects at the repository's package version.
/// </summary>
public sealed partial class PackageCatalog
{
    private readonly Dictionary<string, string> _packages;
    private readonly HashSet<string> _projects;

    /// <summary>Creates a catalog.</summary>
    /// <param name="packages">Package versions by name (case-insensitive).</param>
    /// <param name="projects">The Andes project names available.</param>
    /// <param name="andesVersion">The version Andes packages are pinned at.</param>
    public PackageCatalog(IReadOnlyDictionary<string, string> packages, IEnumerable<string> projects, string andesVersion)
    {
        _packages = new Dictionary<string, string>(packages, StringComparer.OrdinalIgnoreCase);
        _projects = new HashSet<string>(projects, StringComparer.OrdinalIgnoreCase);
        AndesVersion = andesVersion;
    }

    /// <summary>The version of this repository's packages (Directory.Build.props' <c>Version</c>).</summary>
    public string AndesVersion { get; }

    /// <summary>The catalog of the running runner.</summary>
    public static PackageCatalog Current { get; } = Load();

    /// <summary>The Andes package version this runner was built with.</summary>
    public static string BuiltAndesVersion =>
        typeof(PackageCatalog).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "AndesPackageVersion")?.Value
        ?? throw new InvalidOperationException("The runner was built without the AndesPackageVersion assembly metadata.");

    /// <summary>Checks one <c>#r "nuget: ..."</c> line.</summary>
    /// <param name="line">The line (trimmed).</param>
    /// <param name="error">Why it cannot be served, or null.</param>
    /// <returns>Whether the line is a NuGet reference (served or not).</returns>
    public bool TryCheckReference(string line, out string? error)
    {
        error = null;
        Match match = NugetReference().Match(line);
        if (!match.Success)
        {
            if (line.StartsWith("#r \"nuget:", StringComparison.OrdinalIgnoreCase))
            {
                error = $"'{line}' is not of the form #r \"nuget: Name, Version\" (notebooks pin every package version).";
                return true;
            }

            return false;
        }

        string name = match.Groups["name"].Value;
        string version = match.Groups["version"].Value;
        if (name.StartsWith("Andes.", StringComparison.OrdinalIgnoreCase))
        {
            if (!_projects.Contains(name))
            {
                error = $"{name} is not an Andes project the runner references ({string.Join(", ", _projects.Order())}).";
            }
            else if (version != AndesVersion)
            {
                error = $"{name} is pinned at {version} but this repository's packages are {AndesVersion}.";
            }
        }
        else if (!_packages.TryGetValue(name, out string? available))
        {
            error = $"package {name} is not available to the runner: add it to tools/NotebookRunner/NotebookRunner.csproj.";
        }
        else if (available != version)
        {
            error = $"package {name} is pinned at {version} but the runner has {available} (Directory.Packages.props).";
        }

        return true;
    }

    /// <summary>
    /// Checks one <c>#i "nuget: SOURCE"</c> line (a package source, as Polyglot Notebooks reads it). The runner restores
    /// nothing, it runs on this repository's assemblies, so any source is accepted.
    /// </summary>
    /// <param name="line">The line (trimmed).</param>
    /// <param name="error">Why the line is malformed, or null.</param>
    /// <returns>Whether the line is an <c>#i</c> directive (well-formed or not).</returns>
    public static bool TryCheckSource(string line, out string? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        error = null;
        if (!line.StartsWith("#i", StringComparison.Ordinal) || (line.Length > 2 && !char.IsWhiteSpace(line[2])))
        {
            return false;
        }

        if (!PackageSource().IsMatch(line))
        {
            error = $"'{line}' is not of the form #i \"nuget: SOURCE\" (a package source: a folder or a feed URL).";
        }

        return true;
    }

    private static PackageCatalog Load()
    {
        string deps = Path.Combine(AppContext.BaseDirectory, Assembly.GetEntryAssembly()?.GetName().Name + ".deps.json");
        var packages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var projects = new List<string>();
        if (File.Exists(deps))
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(deps));
            if (document.RootElement.TryGetProperty("libraries", out JsonElement libraries))
            {
                foreach (JsonProperty library in libraries.EnumerateObject())
                {
                    int slash = library.Name.IndexOf('/', StringComparison.Ordinal);
                    string name = library.Name[..slash], version = library.Name[(slash + 1)..];
                    string type = library.Value.TryGetProperty("type", out JsonElement t) ? t.GetString() ?? string.Empty : string.Empty;
                    if (type == "package")
                    {
                        packages[name] = version;
                    }
                    else if (type == "project" && name.StartsWith("Andes.", StringComparison.Ordinal))
                    {
                        projects.Add(name);
                    }
                }
            }
        }

        return new PackageCatalog(packages, projects, BuiltAndesVersion);
    }

    [GeneratedRegex(@"^#r\s+""nuget:\s*(?<name>[A-Za-z0-9_.\-]+)\s*,\s*(?<version>[0-9][A-Za-z0-9_.\-+]*)\s*""\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex NugetReference();

    [GeneratedRegex(@"^#i\s+""nuget:\s*[^""\s][^""]*""\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex PackageSource();
}
