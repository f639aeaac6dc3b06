namespace Andes.GenAI;

/// <summary>
/// A tool call the model generated could not be parsed (malformed JSON, missing name, arguments that are not an
/// object, a string that is not valid Unicode, or a call cut off before <c>&lt;/tool_call&gt;</c>). Set as <see cref="Microsoft.Extensions.AI.FunctionCallContent.Exception"/>
/// so the caller can tell the model what went wrong.
/// </summary>
public sealed class ToolCallFormatException : FormatException
{
    /// <summary>Initializes a new instance of the <see cref="ToolCallFormatException"/> class.</summary>
    public ToolCallFormatException()
        : this("The tool call is malformed.", string.Empty)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ToolCallFormatException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    public ToolCallFormatException(string message)
        : this(message, string.Empty)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ToolCallFormatException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The JSON parser's exception, if any.</param>
    public ToolCallFormatException(string message, Exception? innerException)
        : this(message, string.Empty, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ToolCallFormatException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="rawText">The text the model generated between the tool call tags.</param>
    /// <param name="innerException">The JSON parser's exception, if any.</param>
    public ToolCallFormatException(string message, string rawText, Exception? innerException = null)
        : base(message, innerException)
    {
        RawText = rawText ?? string.Empty;
    }

    /// <summary>Gets the text the model generated between <c>&lt;tool_call&gt;</c> and <c>&lt;/tool_call&gt;</c>.</summary>
    public string RawText { get; }
}
