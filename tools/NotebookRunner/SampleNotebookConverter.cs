using System.Text;
using System.Text.RegularExpressions;

namespace Andes.NotebookRunner;

/// <summary>
/// Turns a sample's C# file-based app (<c>samples/NAME/app.cs</c>) into its Polyglot notebook, so the two never drift.
/// </summary>
/// <remarks>
/// <para>The app is split into cells at lines starting with <c>// %%</c>:</para>
/// <list type="bullet">
/// <item><c>// %% [markdown]</c>: a markdown cell; its lines are comments (<c>// text</c>), written without the <c>// </c>.</item>
/// <item><c>// %%</c>: a C# cell. <c>#:package Name@Version</c> becomes <c>#r "nuget: Name, Version"</c>,
/// <c>#:project .../Andes.X.csproj</c> becomes <c>#r "nuget: Andes.X, {version}"</c> (the repository's package
/// version); <c>#:property</c> and <c>#:sdk</c> lines are dropped (they only configure the app's build).</item>
/// <item><c>// %% [app-only]</c>: code only the app runs (e.g. the app's own <c>display</c>); not in the notebook.</item>
/// <item><c>// %% [cell: NAME]</c>: type declarations, which a file-based app must put after its top-level statements;
/// in the notebook the cell goes where <c>// %% [insert: NAME]</c> stands (a placeholder with at most comments).</item>
/// </list>
/// <para>Text before the first marker may only be a <c>#!</c> line and blank lines.</para>
/// <para>The first cell with an Andes package reference starts with <see cref="PackageSourceLines"/>: the package
/// source of the locally packed Andes packages (Polyglot Notebooks' <c>#i "nuget: FOLDER"</c>).</para>
/// </remarks>
public static partial class SampleNotebookConverter
{
    /// <summary>
    /// The lines that tell a notebook where the Andes packages come from: the folder <c>dotnet pack</c> writes them to.
    /// .NET Interactive passes a relative source to NuGet unresolved (it then names a folder beside its own temporary
    /// project), so the line holds a placeholder of an absolute path, which the comment asks the reader to replace.
    /// </summary>
    public static readonly IReadOnlyList<string> PackageSourceLines =
    [
        "// The Andes packages are not published yet: run `dotnet pack Andes.sln -c Release -o artifacts/packages` in the",
        "// repository, then write the absolute path of that artifacts/packages folder here (a relative one is not found).",
        "#i \"nuget: /path/to/andes/artifacts/packages\"",
    ];

    private const string Marker = "// %%";

    /// <summary>Converts an app file to its notebook.</summary>
    /// <param name="appPath">The app.cs file.</param>
    /// <param name="andesVersion">The version of the Andes packages that <c>#:project</c> references become.</param>
    /// <returns>The notebook.</returns>
    /// <exception cref="NotebookFormatException">The file breaks the cell grammar (the line is named).</exception>
    public static NotebookDocument ConvertFile(string appPath, string andesVersion) => Convert(File.ReadAllText(appPath), andesVersion, appPath);

    /// <summary>Converts app source to its notebook.</summary>
    /// <param name="appSource">The app's text.</param>
    /// <param name="andesVersion">The version of the Andes packages that <c>#:project</c> references become.</param>
    /// <param name="path">The file name used in errors.</param>
    /// <returns>The notebook.</returns>
    /// <exception cref="NotebookFormatException">The text breaks the cell grammar (the line is named).</exception>
    public static NotebookDocument Convert(string appSource, string andesVersion, string path = "app.cs")
    {
        ArgumentNullException.ThrowIfNull(appSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(andesVersion);
        string[] lines = appSource.ReplaceLineEndings("\n").Split('\n');
        var raw = new List<(string Tag, int Line, List<string> Body)>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.StartsWith(Marker, StringComparison.Ordinal))
            {
                string tag = line[Marker.Length..].Trim();
                raw.Add((tag, i + 1, []));
            }
            else if (raw.Count > 0)
            {
                raw[^1].Body.Add(line);
            }
            else if (!(i == 0 && line.StartsWith("#!", StringComparison.Ordinal)) && line.Trim().Length > 0)
            {
                throw new NotebookFormatException(path, $"line {i + 1}: text before the first '{Marker}' cell marker.");
            }
        }

        if (raw.Count == 0)
        {
            throw new NotebookFormatException(path, $"no '{Marker}' cell markers.");
        }

        var declarations = new Dictionary<string, (int Line, string Code)>(StringComparer.Ordinal);
        foreach ((string tag, int line, List<string> body) in raw)
        {
            if (Named(tag, "cell") is { } name)
            {
                if (!declarations.TryAdd(name, (line, Code(body, andesVersion, path, line))))
                {
                    throw new NotebookFormatException(path, $"line {line}: a second [cell: {name}].");
                }
            }
        }

        var cells = new List<NotebookCell>();
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string tag, int line, List<string> body) in raw)
        {
            if (tag.Length == 0)
            {
                cells.Add(NotebookCell.CSharp(Code(body, andesVersion, path, line)));
            }
            else if (tag == "[markdown]")
            {
                cells.Add(NotebookCell.Markdown(Markdown(body, path, line)));
            }
            else if (tag == "[app-only]" || Named(tag, "cell") is not null)
            {
                continue;
            }
            else if (Named(tag, "insert") is { } name)
            {
                if (body.Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("//", StringComparison.Ordinal)))
                {
                    throw new NotebookFormatException(path, $"line {line}: [insert: {name}] may only hold comments.");
                }

                if (!declarations.TryGetValue(name, out (int Line, string Code) declaration))
                {
                    throw new NotebookFormatException(path, $"line {line}: [insert: {name}] but no [cell: {name}].");
                }

                if (!inserted.Add(name))
                {
                    throw new NotebookFormatException(path, $"line {line}: [cell: {name}] is inserted twice.");
                }

                cells.Add(NotebookCell.CSharp(declaration.Code));
            }
            else
            {
                throw new NotebookFormatException(path, $"line {line}: unknown cell marker '{Marker} {tag}' (use [markdown], [app-only], [cell: NAME], [insert: NAME] or nothing).");
            }
        }

        if (declarations.Keys.FirstOrDefault(n => !inserted.Contains(n)) is { } orphan)
        {
            throw new NotebookFormatException(path, $"line {declarations[orphan].Line}: [cell: {orphan}] has no [insert: {orphan}].");
        }

        int first = cells.FindIndex(c => c.Kind == NotebookCellKind.Code && c.Source.Contains("#r \"nuget: Andes.", StringComparison.Ordinal));
        if (first >= 0)
        {
            cells[first] = NotebookCell.CSharp(string.Join('\n', PackageSourceLines) + "\n" + cells[first].Source);
        }

        if (cells.FirstOrDefault(c => c.Source.Length == 0) is not null)
        {
            throw new NotebookFormatException(path, $"cell {cells.FindIndex(c => c.Source.Length == 0) + 1} of the notebook is empty.");
        }

        return new NotebookDocument(cells);
    }

    private static string? Named(string tag, string kind)
    {
        string prefix = "[" + kind + ":";
        return tag.StartsWith(prefix, StringComparison.Ordinal) && tag.EndsWith(']') ? tag[prefix.Length..^1].Trim() : null;
    }

    private static string Markdown(List<string> body, string path, int line)
    {
        var text = new List<string>();
        for (int i = 0; i < body.Count; i++)
        {
            string l = body[i];
            if (l.Trim().Length == 0)
            {
                text.Add(string.Empty);
            }
            else if (l.StartsWith("// ", StringComparison.Ordinal))
            {
                text.Add(l[3..]);
            }
            else if (l == "//")
            {
                text.Add(string.Empty);
            }
            else
            {
                throw new NotebookFormatException(path, $"line {line + 1 + i}: a markdown cell holds only '// ' comment lines.");
            }
        }

        return Trim(text);
    }

    private static string Code(List<string> body, string andesVersion, string path, int line)
    {
        var code = new List<string>();
        for (int i = 0; i < body.Count; i++)
        {
            string l = body[i];
            if (!l.StartsWith("#:", StringComparison.Ordinal))
            {
                code.Add(l.TrimEnd());
                continue;
            }

            Match package = PackageDirective().Match(l);
            Match project = ProjectDirective().Match(l);
            if (package.Success)
            {
                code.Add($"#r \"nuget: {package.Groups["name"].Value}, {package.Groups["version"].Value}\"");
            }
            else if (project.Success)
            {
                code.Add($"#r \"nuget: {project.Groups["name"].Value}, {andesVersion}\"");
            }
            else if (!l.StartsWith("#:property ", StringComparison.Ordinal) && !l.StartsWith("#:sdk ", StringComparison.Ordinal))
            {
                throw new NotebookFormatException(path, $"line {line + 1 + i}: '{l}' has no notebook equivalent (use #:package Name@Version, #:project .../Andes.X.csproj, #:property or #:sdk).");
            }
        }

        return Trim(code);
    }

    private static string Trim(List<string> lines)
    {
        int start = lines.FindIndex(l => l.Length > 0);
        int end = lines.FindLastIndex(l => l.Length > 0);
        var text = new StringBuilder();
        for (int i = start; start >= 0 && i <= end; i++)
        {
            text.Append(lines[i]);
            if (i < end)
            {
                text.Append('\n');
            }
        }

        return text.ToString();
    }

    [GeneratedRegex(@"^#:package\s+(?<name>[A-Za-z0-9_.\-]+)@(?<version>[0-9][A-Za-z0-9_.\-+]*)\s*$")]
    private static partial Regex PackageDirective();

    [GeneratedRegex(@"^#:project\s+(?:.*[/\\])?(?<name>Andes\.[A-Za-z0-9_.]+)\.csproj\s*$")]
    private static partial Regex ProjectDirective();
}
