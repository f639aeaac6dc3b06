namespace Andes;

/// <summary>The layout of raw pixel content (see <see cref="RawPixelContent"/>).</summary>
/// <param name="Width">The width in pixels.</param>
/// <param name="Height">The height in pixels.</param>
/// <param name="Format">The pixel layout.</param>
/// <param name="Stride">Bytes from one row to the next; 0 means packed.</param>
public readonly record struct RawPixelLayout(int Width, int Height, ImagePixelFormat Format, int Stride);
