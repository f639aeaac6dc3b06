namespace Andes.GenAI;

/// <summary>Options for a <see cref="ToolCallConstraint"/>.</summary>
public sealed class ToolCallConstraintOptions : JsonConstraintOptions
{
    private int _maxCalls = 1;

    /// <summary>
    /// Gets or sets the most tool calls in one turn (each further call follows the previous <c>&lt;/tool_call&gt;</c>
    /// after a newline; the model may also end the turn after any call). Default 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxCalls
    {
        get => _maxCalls;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxCalls = value;
        }
    }
}
