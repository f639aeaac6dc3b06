namespace Andes.GenAI;

/// <summary>Why an image was rejected.</summary>
public enum ImageErrorKind
{
    /// <summary>The data has no bytes.</summary>
    Empty,

    /// <summary>The data is not PNG, JPEG, BMP or GIF (or is a variant of them the decoder does not support).</summary>
    UnsupportedFormat,

    /// <summary>The data ends before the image does.</summary>
    Truncated,

    /// <summary>The data is structurally invalid or fails to decode.</summary>
    Corrupt,

    /// <summary>The image claims more pixels than allowed (a decompression bomb, or simply too large); rejected before any large allocation.</summary>
    TooLarge,

    /// <summary>A raw pixel buffer is smaller than its width, height, stride and format require, or has a non-positive size.</summary>
    InvalidPixelBuffer,
}
