namespace Andes.Agents.Gui;

/// <summary>A model's action text could not be parsed (unknown action, bad syntax, missing argument): nothing is executed.</summary>
public sealed class ActionParseException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the action or argument.</param>
    /// <param name="text">The text that was parsed.</param>
    /// <param name="position">The character offset of the problem in <paramref name="text"/>.</param>
    public ActionParseException(string message, string text, int position)
        : base(message)
    {
        Text = text;
        Position = position;
    }

    /// <summary>The text that was parsed.</summary>
    public string Text { get; }

    /// <summary>The character offset of the problem.</summary>
    public int Position { get; }
}
