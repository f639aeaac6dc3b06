namespace Andes.Agents.Gui;

/// <summary>Screen capture failed: no display, a region off the desktop, or a platform call error.</summary>
public sealed class ScreenCaptureException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the display, region or call.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ScreenCaptureException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
