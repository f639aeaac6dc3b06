using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>
/// One image of an <see cref="EncodedPrompt"/>: where its placeholder tokens are and how many there are. Its features
/// are computed (or taken from the model's feature cache) only when the placeholders are run. Immutable and thread-safe.
/// </summary>
public sealed class PromptImage
{
    internal PromptImage(int index, ImageInput input, ImageProcessor processor, ImageGeometry geometry, int offset)
    {
        Index = index;
        Input = input;
        Processor = processor;
        Geometry = geometry;
        Offset = offset;
    }

    /// <summary>The image's position among the prompt's images (0-based).</summary>
    public int Index { get; }

    /// <summary>A name for messages (position and source).</summary>
    public string Name => Input.Name;

    /// <summary>The width of the image as given.</summary>
    public int Width => Input.Width;

    /// <summary>The height of the image as given.</summary>
    public int Height => Input.Height;

    /// <summary>Where preprocessing puts it (resized and padded sizes, patch grid).</summary>
    public ImageGeometry Geometry { get; }

    /// <summary>The number of <c>&lt;|vision_pad|&gt;</c> tokens the image takes.</summary>
    public int TokenCount => Geometry.TokenCount;

    /// <summary>The position of its first <c>&lt;|vision_pad|&gt;</c> token in the prompt.</summary>
    public int Offset { get; }

    /// <summary>XxHash128 of the image's bytes (the feature cache's key together with the geometry).</summary>
    public UInt128 ContentHash => Input.ContentHash;

    internal ImageInput Input { get; }

    internal ImageProcessor Processor { get; }

    /// <summary>Decodes and preprocesses the image into the vision graph's patches (dispose the result).</summary>
    /// <exception cref="InvalidImageException">The image fails to decode, or decodes to other dimensions than its header claimed.</exception>
    internal ProcessedImage Preprocess()
    {
        ProcessedImage processed = Input.Process(Processor);
        if (processed.Geometry != Geometry)
        {
            processed.Dispose();
            throw new InvalidImageException(
                ImageErrorKind.Corrupt, $"The {Name} decoded to {processed.Geometry.OriginalWidth} x {processed.Geometry.OriginalHeight}, not the {Width} x {Height} its header claims.", Name);
        }

        return processed;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Width} x {Height} -> {Geometry.PaddedWidth} x {Geometry.PaddedHeight}, {TokenCount} tokens";
}
