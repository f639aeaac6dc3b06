namespace Andes.GenAI;

/// <summary>Options for compiling a <see cref="JsonConstraint"/> or <see cref="ToolCallConstraint"/>.</summary>
public class JsonConstraintOptions
{
    private int _maxConsecutiveWhitespace = 16;

    /// <summary>
    /// Gets or sets the most whitespace bytes (space, tab, CR, LF) allowed in a row between JSON tokens (also before the
    /// whole value; after it only the end of the output may come). The limit stops a model from emitting whitespace
    /// forever; 0 forces compact JSON.
    /// Default 16 (room for pretty-printed JSON several levels deep). At most 255.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above 255.</exception>
    public int MaxConsecutiveWhitespace
    {
        get => _maxConsecutiveWhitespace;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 255);
            _maxConsecutiveWhitespace = value;
        }
    }

    /// <summary>
    /// Gets or sets a value indicating whether schema assertions the constraint cannot enforce (<c>pattern</c>,
    /// <c>minimum</c>/<c>maximum</c>, <c>multipleOf</c>, <c>uniqueItems</c>, <c>not</c>, multi-schema <c>allOf</c>, ...)
    /// are dropped instead of failing with <see cref="JsonSchemaConstraintException"/>. When dropped, the output may
    /// violate them. Default <see langword="false"/>.
    /// </summary>
    public bool IgnoreUnsupportedKeywords { get; set; }
}
