namespace Andes.GenAI;

/// <summary>What an encoded image's header claims, read without decoding any pixels.</summary>
public readonly struct ImageHeader : IEquatable<ImageHeader>
{
    /// <summary>Creates a header.</summary>
    /// <param name="format">The encoded format.</param>
    /// <param name="width">The claimed width in pixels.</param>
    /// <param name="height">The claimed height in pixels.</param>
    public ImageHeader(ImageFormat format, int width, int height)
    {
        Format = format;
        Width = width;
        Height = height;
    }

    /// <summary>The encoded format.</summary>
    public ImageFormat Format { get; }

    /// <summary>The claimed width in pixels.</summary>
    public int Width { get; }

    /// <summary>The claimed height in pixels.</summary>
    public int Height { get; }

    /// <summary>Width times height.</summary>
    public long PixelCount => (long)Width * Height;

    /// <inheritdoc />
    public bool Equals(ImageHeader other) => Format == other.Format && Width == other.Width && Height == other.Height;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ImageHeader other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Format, Width, Height);

    /// <inheritdoc />
    public override string ToString() => $"{Format} {Width} x {Height}";

    /// <summary>Compares two headers.</summary>
    /// <param name="left">The first header.</param>
    /// <param name="right">The second header.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(ImageHeader left, ImageHeader right) => left.Equals(right);

    /// <summary>Compares two headers.</summary>
    /// <param name="left">The first header.</param>
    /// <param name="right">The second header.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(ImageHeader left, ImageHeader right) => !left.Equals(right);
}
