using System.Text.RegularExpressions;

namespace Andes.Samples.Tests.Docs;

/// <summary>
/// A C# fenced code block of a markdown document (info string <c>csharp</c>, <c>cs</c> or <c>c#</c>), with what its
/// <c>&lt;!-- compile: ... --&gt;</c> marker says, if it has one.
/// </summary>
/// <param name="Document">The document's path relative to the repository root, with <c>/</c> separators.</param>
/// <param name="FenceLine">The 1-based line of the opening fence.</param>
/// <param name="Code">The block's text, without the fences and the fence's indentation.</param>
/// <param name="MarkerLine">The 1-based line of the block's marker, or 0 without one.</param>
/// <param name="Declarations">The marker's declarations of names the block uses but does not declare, or null.</param>
/// <param name="SkipReason">Why the block is not compiled (a <c>compile: skip (reason)</c> marker), or null.</param>
public sealed partial record MarkdownCodeBlock(string Document, int FenceLine, string Code, int MarkerLine, string? Declarations, string? SkipReason)
{
    /// <summary>The 1-based line of the document on which the block's code starts.</summary>
    public int CodeLine => FenceLine + 1;

    /// <summary>Finds every C# block of a document and reads the marker before each.</summary>
    /// <param name="document">The document's path relative to the repository root (used in messages).</param>
    /// <param name="markdown">The document's text.</param>
    /// <returns>The blocks, in order.</returns>
    /// <exception cref="FormatException">A marker is malformed, stands anywhere but right before a C# block, or a
    /// block is not closed; the message names the document and the line.</exception>
    public static IReadOnlyList<MarkdownCodeBlock> Extract(string document, string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        string[] lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<MarkdownCodeBlock>();
        // The marker waiting for its block: it must be the last non-blank line before a C# fence.
        (int Line, string Text)? marker = null;
        for (int i = 0; i < lines.Length; i++)
        {
            Match open = Fence().Match(lines[i]);
            if (!open.Success)
            {
                Match comment = Marker().Match(lines[i]);
                if (marker is { } pending && lines[i].Trim().Length > 0)
                {
                    throw new FormatException($"{document}:{pending.Line}: a '<!-- compile: ... -->' marker must stand right before a ```csharp block.");
                }

                if (comment.Success)
                {
                    marker = (i + 1, comment.Groups["text"].Value.Trim());
                }
                else if (lines[i].TrimStart().StartsWith("<!-- compile", StringComparison.Ordinal))
                {
                    throw new FormatException($"{document}:{i + 1}: a compile marker is one whole line, '<!-- compile: ... -->'.");
                }

                continue;
            }

            string indent = open.Groups["indent"].Value;
            string fence = open.Groups["fence"].Value;
            string language = open.Groups["info"].Value.ToLowerInvariant();
            int close = Array.FindIndex(lines, i + 1, l => IsClosing(l, fence));
            if (close < 0)
            {
                throw new FormatException($"{document}:{i + 1}: the code block is never closed.");
            }

            bool csharp = language is "csharp" or "cs" or "c#";
            if (marker is { } attached && !csharp)
            {
                throw new FormatException($"{document}:{attached.Line}: a '<!-- compile: ... -->' marker stands before a '{language}' block, not a C# one.");
            }

            if (csharp)
            {
                string code = string.Join('\n', lines[(i + 1)..close].Select(l => l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l.TrimStart()));
                (string? declarations, string? skip) = marker is { } m ? ParseMarker(document, m.Line, m.Text) : (null, null);
                blocks.Add(new MarkdownCodeBlock(document, i + 1, code, marker?.Line ?? 0, declarations, skip));
            }

            marker = null;
            i = close;
        }

        if (marker is { } dangling)
        {
            throw new FormatException($"{document}:{dangling.Line}: a '<!-- compile: ... -->' marker must stand right before a ```csharp block.");
        }

        return blocks;
    }

    private static (string? Declarations, string? SkipReason) ParseMarker(string document, int line, string text)
    {
        if (text.StartsWith("skip", StringComparison.Ordinal))
        {
            Match skip = Skip().Match(text);
            if (!skip.Success)
            {
                throw new FormatException($"{document}:{line}: write a skipped block's reason in parentheses: '<!-- compile: skip (why) -->'.");
            }

            return (null, skip.Groups["reason"].Value.Trim());
        }

        if (text.Length == 0)
        {
            throw new FormatException($"{document}:{line}: the marker declares nothing: '<!-- compile: Type name; Type other -->' or '<!-- compile: skip (why) -->'.");
        }

        return (text, null);
    }

    private static bool IsClosing(string line, string fence)
    {
        string trimmed = line.Trim();
        return trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0]);
    }

    [GeneratedRegex(@"^(?<indent>[ \t]*)(?<fence>`{3,}|~{3,})[ \t]*(?<info>[^\s`]*)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s*<!--\s*compile:(?<text>.*?)-->\s*$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^skip\s*\((?<reason>.*\S.*)\)$")]
    private static partial Regex Skip();
}
