using System.Text;
using System.Text.Json;

namespace Andes.GenAI;

/// <summary>Built-in skill output parsers, by the names <c>skills.json</c> uses in <c>output_parser</c>.</summary>
public static class SkillOutputParsers
{
    /// <summary><c>text</c>: the answer, trimmed.</summary>
    public static Func<string, object?> Text { get; } = static text => text.Trim();

    /// <summary><c>lines</c>: the non-empty lines of the answer, trimmed (a <see cref="string"/> array).</summary>
    public static Func<string, object?> Lines { get; } = static text =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// <c>json</c>: the first JSON object or array in the answer (models often wrap it in prose or a code fence), as a
    /// <see cref="JsonElement"/>. Throws <see cref="FormatException"/> when there is none.
    /// </summary>
    public static Func<string, object?> Json { get; } = ParseJson;

    /// <summary>The names of the built-in parsers.</summary>
    public static IReadOnlyList<string> Names { get; } = ["text", "lines", "json"];

    /// <summary>A built-in parser by name (<c>text</c>, <c>lines</c>, <c>json</c>).</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="ArgumentException">An unknown name (the message lists the known ones).</exception>
    public static Func<string, object?> Get(string name) => name switch
    {
        "text" => Text,
        "lines" => Lines,
        "json" => Json,
        _ => throw new ArgumentException($"Unknown skill output parser '{name}'; expected one of: {string.Join(", ", Names)}.", nameof(name)),
    };

    private static object? ParseJson(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        for (int start = 0; start < utf8.Length; start++)
        {
            if (utf8[start] is not ((byte)'{' or (byte)'['))
            {
                continue;
            }

            var reader = new Utf8JsonReader(utf8.AsSpan(start), new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            try
            {
                using JsonDocument document = JsonDocument.ParseValue(ref reader);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // not a complete value from here: try the next bracket
            }
        }

        string preview = text.Length > 80 ? text[..80] + "..." : text;
        throw new FormatException($"The skill's answer holds no JSON object or array: \"{preview}\".");
    }
}
