namespace Andes.Agents.Gui;

/// <summary>A colour in BGRA byte order (the order of <see cref="BgraImage"/> pixels).</summary>
/// <param name="B">Blue.</param>
/// <param name="G">Green.</param>
/// <param name="R">Red.</param>
/// <param name="A">Alpha (255 = opaque).</param>
public readonly record struct BgraColor(byte B, byte G, byte R, byte A = 255)
{
    /// <summary>Opaque black.</summary>
    public static BgraColor Black => new(0, 0, 0);

    /// <summary>Opaque white.</summary>
    public static BgraColor White => new(255, 255, 255);

    /// <summary>Creates an opaque colour from red, green and blue.</summary>
    /// <param name="r">Red.</param>
    /// <param name="g">Green.</param>
    /// <param name="b">Blue.</param>
    /// <returns>The colour.</returns>
    public static BgraColor FromRgb(byte r, byte g, byte b) => new(b, g, r);

    /// <summary>The colour as one little-endian 32-bit value (B in the low byte), for filling pixel spans.</summary>
    public uint Packed => BitConverter.IsLittleEndian
        ? (uint)(B | (G << 8) | (R << 16) | (A << 24))
        : (uint)((B << 24) | (G << 16) | (R << 8) | A);
}
