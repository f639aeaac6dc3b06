namespace Andes.NotebookRunner;

/// <summary>One cell of a notebook.</summary>
/// <param name="Kind">Markdown or code.</param>
/// <param name="Source">The cell's text, lines separated by <c>\n</c>, no trailing newline.</param>
/// <param name="Language">The kernel language of a code cell (<c>csharp</c>); null for markdown.</param>
public sealed record NotebookCell(NotebookCellKind Kind, string Source, string? Language = null)
{
    /// <summary>A markdown cell.</summary>
    /// <param name="source">The text.</param>
    /// <returns>The cell.</returns>
    public static NotebookCell Markdown(string source) => new(NotebookCellKind.Markdown, source);

    /// <summary>A C# code cell.</summary>
    /// <param name="source">The code.</param>
    /// <returns>The cell.</returns>
    public static NotebookCell CSharp(string source) => new(NotebookCellKind.Code, source, NotebookDocument.CSharpLanguage);
}
