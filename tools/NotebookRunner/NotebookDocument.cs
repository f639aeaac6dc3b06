using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Andes.NotebookRunner;

/// <summary>
/// A Jupyter notebook (nbformat 4) as Polyglot Notebooks writes it for the .NET Interactive C# kernel: read from any
/// nbformat 4 file, written with Polyglot's kernel metadata, sorted keys and one-space indentation (as VS Code saves it).
/// </summary>
public sealed class NotebookDocument
{
    /// <summary>The kernel language name of C# cells.</summary>
    public const string CSharpLanguage = "csharp";

    /// <summary>Creates a notebook from its cells.</summary>
    /// <param name="cells">The cells, in order.</param>
    public NotebookDocument(IReadOnlyList<NotebookCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        Cells = cells;
    }

    /// <summary>The cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>Reads a notebook file.</summary>
    /// <param name="path">The .ipynb file.</param>
    /// <returns>The notebook.</returns>
    /// <exception cref="NotebookFormatException">It is not an nbformat 4 notebook (the field is named).</exception>
    public static NotebookDocument Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses notebook JSON.</summary>
    /// <param name="json">The .ipynb text.</param>
    /// <param name="path">The file name used in errors.</param>
    /// <returns>The notebook.</returns>
    /// <exception cref="NotebookFormatException">It is not an nbformat 4 notebook (the field is named).</exception>
    public static NotebookDocument Parse(string json, string path = "notebook")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(path, $"not JSON: {e.Message}", e);
        }

        if (root is not JsonObject notebook)
        {
            throw new NotebookFormatException(path, "the top level is not a JSON object.");
        }

        if (notebook["nbformat"]?.GetValueKind() != JsonValueKind.Number || notebook["nbformat"]!.GetValue<int>() != 4)
        {
            throw new NotebookFormatException(path, $"nbformat is {notebook["nbformat"]?.ToJsonString() ?? "missing"}, expected 4.");
        }

        string defaultLanguage = notebook["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>() ?? CSharpLanguage;
        if (notebook["cells"] is not JsonArray cells)
        {
            throw new NotebookFormatException(path, "'cells' is missing or not an array.");
        }

        var result = new List<NotebookCell>(cells.Count);
        for (int i = 0; i < cells.Count; i++)
        {
            JsonNode? cell = cells[i];
            string type = cell?["cell_type"]?.GetValue<string>() ?? throw new NotebookFormatException(path, $"cells[{i}].cell_type is missing.");
            string source = ReadSource(cell!["source"], path, i);
            switch (type)
            {
                case "markdown":
                case "raw":
                    result.Add(NotebookCell.Markdown(source));
                    break;
                case "code":
                    string language = cell["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>()
                        ?? cell["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
                        ?? defaultLanguage;
                    result.Add(new NotebookCell(NotebookCellKind.Code, source, language));
                    break;
                default:
                    throw new NotebookFormatException(path, $"cells[{i}].cell_type '{type}' is not markdown, raw or code.");
            }
        }

        return new NotebookDocument(result);
    }

    /// <summary>The notebook as Polyglot Notebooks saves it (no outputs, no execution counts).</summary>
    /// <returns>The .ipynb text, ending with a newline.</returns>
    public string ToJson()
    {
        var cells = new JsonArray();
        foreach (NotebookCell cell in Cells)
        {
            var source = new JsonArray();
            foreach (string line in SplitLines(cell.Source))
            {
                source.Add(line);
            }

            if (cell.Kind == NotebookCellKind.Markdown)
            {
                cells.Add(new JsonObject
                {
                    ["cell_type"] = "markdown",
                    ["metadata"] = new JsonObject(),
                    ["source"] = source,
                });
            }
            else
            {
                string language = cell.Language ?? CSharpLanguage;
                cells.Add(new JsonObject
                {
                    ["cell_type"] = "code",
                    ["execution_count"] = null,
                    ["metadata"] = new JsonObject
                    {
                        ["dotnet_interactive"] = new JsonObject { ["language"] = language },
                        ["polyglot_notebook"] = new JsonObject { ["kernelName"] = language },
                    },
                    ["outputs"] = new JsonArray(),
                    ["source"] = source,
                });
            }
        }

        var notebook = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
                ["polyglot_notebook"] = new JsonObject
                {
                    ["kernelInfo"] = new JsonObject
                    {
                        ["defaultKernelName"] = CSharpLanguage,
                        ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = CSharpLanguage }),
                    },
                },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 2,
        };

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 1, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteSorted(writer, notebook);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n") + "\n";
    }

    private static string ReadSource(JsonNode? source, string path, int index) => source switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>().ReplaceLineEndings("\n"),
        JsonArray lines => string.Concat(lines.Select((l, j) => l?.GetValueKind() == JsonValueKind.String
            ? l.GetValue<string>()
            : throw new NotebookFormatException(path, $"cells[{index}].source[{j}] is not a string."))).ReplaceLineEndings("\n"),
        _ => throw new NotebookFormatException(path, $"cells[{index}].source is missing or neither a string nor an array of strings."),
    };

    /// <summary>Jupyter's source lines: every line but the last keeps its newline.</summary>
    private static IEnumerable<string> SplitLines(string text)
    {
        if (text.Length == 0)
        {
            yield break;
        }

        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            yield return i < lines.Length - 1 ? lines[i] + "\n" : lines[i];
        }
    }

    private static void WriteSorted(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (KeyValuePair<string, JsonNode?> property in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Key);
                    WriteSorted(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (JsonNode? item in array)
                {
                    WriteSorted(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
