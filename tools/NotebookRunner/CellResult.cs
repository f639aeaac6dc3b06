namespace Andes.NotebookRunner;

/// <summary>What one cell did in a run.</summary>
/// <param name="Number">The cell's 1-based position among all cells of the notebook.</param>
/// <param name="Cell">The cell.</param>
/// <param name="Elapsed">How long it ran (zero for markdown).</param>
/// <param name="Outputs">Its outputs, in order.</param>
/// <param name="Error">The error that stopped the run at this cell, or null.</param>
public sealed record CellResult(int Number, NotebookCell Cell, TimeSpan Elapsed, IReadOnlyList<CellOutput> Outputs, string? Error);
