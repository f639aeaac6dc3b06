namespace Andes.NotebookRunner;

/// <summary>A notebook cell failed to compile or threw: the message names the cell (and line) and the error.</summary>
public sealed class NotebookCellException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="cellNumber">The cell's 1-based position among all cells.</param>
    /// <param name="message">The error.</param>
    /// <param name="innerException">The exception the cell threw, if any.</param>
    public NotebookCellException(int cellNumber, string message, Exception? innerException = null)
        : base($"cell {cellNumber}: {message}", innerException)
    {
        CellNumber = cellNumber;
    }

    /// <summary>The cell's 1-based position among all cells.</summary>
    public int CellNumber { get; }
}
