namespace Andes.GenAI;

/// <summary>
/// The vision tower's output for one image: one row of the language model's hidden size per image token, in the
/// order the <c>&lt;|vision_pad|&gt;</c> placeholders take them. Immutable and thread-safe.
/// </summary>
public sealed class ImageFeatures
{
    private readonly float[] _values;

    internal ImageFeatures(float[] values, int tokenCount, int hiddenSize, ImageGeometry geometry)
    {
        _values = values;
        TokenCount = tokenCount;
        HiddenSize = hiddenSize;
        Geometry = geometry;
    }

    /// <summary>Rows: the image's token count.</summary>
    public int TokenCount { get; }

    /// <summary>The width of a row (the language model's hidden size).</summary>
    public int HiddenSize { get; }

    /// <summary>Where the image ended up in preprocessing (sizes, padding, patch grid).</summary>
    public ImageGeometry Geometry { get; }

    /// <summary>The rows, row-major <c>[TokenCount, HiddenSize]</c>.</summary>
    public ReadOnlyMemory<float> Values => _values;

    /// <summary>Bytes held.</summary>
    public long SizeInBytes => (long)_values.Length * sizeof(float);
}
