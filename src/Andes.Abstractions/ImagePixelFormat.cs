namespace Andes;

/// <summary>The layout of a raw, 8-bit-per-channel pixel buffer (for example a screen capture).</summary>
public enum ImagePixelFormat
{
    /// <summary>Three bytes per pixel: red, green, blue.</summary>
    Rgb24,

    /// <summary>Three bytes per pixel: blue, green, red.</summary>
    Bgr24,

    /// <summary>Four bytes per pixel: red, green, blue, alpha (alpha is ignored).</summary>
    Rgba32,

    /// <summary>Four bytes per pixel: blue, green, red, alpha (alpha is ignored; the usual Windows/Direct3D capture layout).</summary>
    Bgra32,
}
