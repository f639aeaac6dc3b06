namespace Andes.NotebookRunner;

/// <summary>What a notebook cell holds.</summary>
public enum NotebookCellKind
{
    /// <summary>Markdown text.</summary>
    Markdown,

    /// <summary>Code for a kernel.</summary>
    Code,
}
