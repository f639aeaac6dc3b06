namespace Andes.NotebookRunner;

/// <summary>One output of a cell: text (console output, displayed values) or HTML.</summary>
/// <param name="IsHtml">Whether <paramref name="Content"/> is HTML.</param>
/// <param name="Content">The text or markup.</param>
public sealed record CellOutput(bool IsHtml, string Content);
