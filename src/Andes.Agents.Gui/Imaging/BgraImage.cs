using System.Globalization;
using System.Runtime.InteropServices;

namespace Andes.Agents.Gui;

/// <summary>
/// A top-down 32-bit BGRA pixel buffer (the layout screen capture produces and Windows/X11 use natively): row y starts
/// at <c>y * Stride</c>, 4 bytes per pixel in B, G, R, A order.
/// </summary>
/// <remarks>Not thread-safe for concurrent writes.</remarks>
public sealed class BgraImage
{
    /// <summary>Creates a transparent-black image.</summary>
    /// <param name="width">Width in pixels (&gt; 0).</param>
    /// <param name="height">Height in pixels (&gt; 0).</param>
    public BgraImage(int width, int height)
        : this(new byte[checked(width * 4 * height)], width, height, width * 4)
    {
    }

    /// <summary>Wraps an existing BGRA buffer (no copy).</summary>
    /// <param name="pixels">The pixel bytes.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="stride">Bytes per row (&gt;= width * 4).</param>
    /// <exception cref="ArgumentException">The buffer is too small for the size and stride.</exception>
    public BgraImage(byte[] pixels, int width, int height, int stride)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, width * 4);
        long needed = (long)stride * (height - 1) + width * 4L;
        if (pixels.LongLength < needed)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A {width}x{height} BGRA image with stride {stride} needs {needed} bytes; the buffer has {pixels.Length}."), nameof(pixels));
        }

        Pixels = pixels;
        Width = width;
        Height = height;
        Stride = stride;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Bytes per row.</summary>
    public int Stride { get; }

    /// <summary>The pixel bytes (BGRA, top-down).</summary>
    public byte[] Pixels { get; }

    /// <summary>One row's pixel bytes (Width * 4 bytes).</summary>
    /// <param name="y">The row.</param>
    /// <returns>The row.</returns>
    public Span<byte> GetRow(int y)
    {
        if ((uint)y >= (uint)Height)
        {
            throw new ArgumentOutOfRangeException(nameof(y), y, $"Row {y} is outside the {Height}-row image.");
        }

        return Pixels.AsSpan(y * Stride, Width * 4);
    }

    /// <summary>One row as packed 32-bit pixels.</summary>
    /// <param name="y">The row.</param>
    /// <returns>The row's pixels.</returns>
    public Span<uint> GetRowPixels(int y) => MemoryMarshal.Cast<byte, uint>(GetRow(y));

    /// <summary>Reads a pixel.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <returns>The colour.</returns>
    public BgraColor GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Width)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, $"Column {x} is outside the {Width}-column image.");
        }

        Span<byte> row = GetRow(y);
        int i = x * 4;
        return new BgraColor(row[i], row[i + 1], row[i + 2], row[i + 3]);
    }

    /// <summary>Writes a pixel.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <param name="color">The colour.</param>
    public void SetPixel(int x, int y, BgraColor color)
    {
        if ((uint)x >= (uint)Width)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, $"Column {x} is outside the {Width}-column image.");
        }

        Span<byte> row = GetRow(y);
        int i = x * 4;
        row[i] = color.B;
        row[i + 1] = color.G;
        row[i + 2] = color.R;
        row[i + 3] = color.A;
    }

    /// <summary>A deep copy with a tight stride.</summary>
    /// <returns>The copy.</returns>
    public BgraImage Clone()
    {
        var copy = new BgraImage(Width, Height);
        for (int y = 0; y < Height; y++)
        {
            GetRow(y).CopyTo(copy.GetRow(y));
        }

        return copy;
    }

    /// <summary>A copy of a rectangular part.</summary>
    /// <param name="x">Left edge.</param>
    /// <param name="y">Top edge.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <returns>The cropped copy.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rectangle is not inside the image.</exception>
    public BgraImage Crop(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width < 1 || height < 1 || x + width > Width || y + height > Height)
        {
            throw new ArgumentOutOfRangeException(nameof(x), string.Create(CultureInfo.InvariantCulture, $"The crop {x},{y} {width}x{height} is not inside the {Width}x{Height} image."));
        }

        var crop = new BgraImage(width, height);
        for (int row = 0; row < height; row++)
        {
            Pixels.AsSpan((y + row) * Stride + x * 4, width * 4).CopyTo(crop.GetRow(row));
        }

        return crop;
    }
}
