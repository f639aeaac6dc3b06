namespace Andes.Agents.Gui;

/// <summary>Input injection failed: no display, no XTest, a refused SendInput, or an unmappable key.</summary>
public sealed class InputInjectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the display, event or key.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public InputInjectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
