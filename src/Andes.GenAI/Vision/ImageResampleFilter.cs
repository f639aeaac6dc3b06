namespace Andes.GenAI;

/// <summary>
/// The resampling filter, numbered as Pillow's <c>Image.Resampling</c> (the <c>resample</c> field of a Hugging Face
/// processor config). All are Pillow's separable convolution with the support scaled by the downscale factor.
/// </summary>
public enum ImageResampleFilter
{
    /// <summary>Lanczos (truncated sinc, support 3); Pillow code 1.</summary>
    Lanczos = 1,

    /// <summary>Bilinear (triangle, support 1); Pillow code 2.</summary>
    Bilinear = 2,

    /// <summary>Bicubic (cubic convolution with a = -0.5, support 2); Pillow code 3, the AndesVL default.</summary>
    Bicubic = 3,

    /// <summary>Box (support 0.5); Pillow code 4.</summary>
    Box = 4,

    /// <summary>Hamming-windowed sinc (support 1); Pillow code 5.</summary>
    Hamming = 5,
}
