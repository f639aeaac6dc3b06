namespace Andes.GenAI;

/// <summary>Limits applied while decoding (and to raw pixel buffers).</summary>
public sealed class ImageDecoderOptions
{
    /// <summary>The default <see cref="MaxPixels"/>: 64 Mi pixels (for example 8192 x 8192).</summary>
    public const long DefaultMaxPixels = 64L * 1024 * 1024;

    /// <summary>
    /// Gets or sets the largest width x height accepted. An image whose header claims more is rejected with
    /// <see cref="ImageErrorKind.TooLarge"/> before any pixel memory is allocated. Default <see cref="DefaultMaxPixels"/>.
    /// </summary>
    public long MaxPixels { get; set; } = DefaultMaxPixels;

    /// <summary>Creates a copy.</summary>
    /// <returns>A new instance with the same values.</returns>
    public ImageDecoderOptions Clone() => new() { MaxPixels = MaxPixels };
}
