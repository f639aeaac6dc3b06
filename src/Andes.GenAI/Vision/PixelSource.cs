using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Andes.GenAI;

/// <summary>A view of 8-bit pixels: packed RGB/BGR (3 bytes) or RGBA/BGRA (4 bytes, alpha ignored) rows with a stride.</summary>
internal readonly ref struct PixelSource
{
    public PixelSource(ReadOnlySpan<byte> data, int width, int height, int stride, int bytesPerPixel, bool swapRedBlue)
    {
        Data = data;
        Width = width;
        Height = height;
        Stride = stride;
        BytesPerPixel = bytesPerPixel;
        SwapRedBlue = swapRedBlue;
    }

    /// <summary>All rows: row <c>y</c> starts at <c>y * Stride</c>; the last row may end right after its last pixel.</summary>
    public ReadOnlySpan<byte> Data { get; }

    public int Width { get; }

    public int Height { get; }

    public int Stride { get; }

    /// <summary>3 or 4.</summary>
    public int BytesPerPixel { get; }

    /// <summary>True when the bytes are blue, green, red (BGR24, BGRA32).</summary>
    public bool SwapRedBlue { get; }

    /// <summary>True when rows are R, G, B triplets (the layout the resampler's vertical pass and the canvas use).</summary>
    public bool IsRgb24 => BytesPerPixel == 3 && !SwapRedBlue;

    /// <summary>Byte offset of the red channel inside a pixel.</summary>
    public int RedOffset => SwapRedBlue ? 2 : 0;

    /// <summary>Byte offset of the blue channel inside a pixel.</summary>
    public int BlueOffset => SwapRedBlue ? 0 : 2;

    /// <summary>Validates a caller's raw buffer and wraps it.</summary>
    public static PixelSource Create(
        ReadOnlySpan<byte> pixels, int width, int height, ImagePixelFormat format, int stride, long maxPixels, string? sourceName)
    {
        string name = sourceName ?? "raw pixel buffer";
        int bpp = format switch
        {
            ImagePixelFormat.Rgb24 or ImagePixelFormat.Bgr24 => 3,
            ImagePixelFormat.Rgba32 or ImagePixelFormat.Bgra32 => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
        };
        if (width <= 0 || height <= 0)
        {
            throw new InvalidImageException(
                ImageErrorKind.InvalidPixelBuffer, $"The {name} has a non-positive size {width} x {height}.", sourceName, null, width, height);
        }

        if ((long)width * height > maxPixels)
        {
            throw new InvalidImageException(
                ImageErrorKind.TooLarge,
                $"The {name} is {width} x {height} ({(long)width * height} pixels), more than the limit of {maxPixels} pixels.",
                sourceName, null, width, height);
        }

        long rowBytes = (long)width * bpp;
        if (stride == 0)
        {
            stride = (int)Math.Min(rowBytes, int.MaxValue);
        }

        if (stride < rowBytes)
        {
            throw new InvalidImageException(
                ImageErrorKind.InvalidPixelBuffer,
                $"The {name} has stride {stride} bytes, less than one {format} row of {width} pixels ({rowBytes} bytes).",
                sourceName, null, width, height);
        }

        long required = ((long)height - 1) * stride + rowBytes;
        if (pixels.Length < required)
        {
            throw new InvalidImageException(
                ImageErrorKind.InvalidPixelBuffer,
                $"The {name} has {pixels.Length} bytes; {width} x {height} {format} with stride {stride} needs {required}.",
                sourceName, null, width, height);
        }

        bool swap = format is ImagePixelFormat.Bgr24 or ImagePixelFormat.Bgra32;
        return new PixelSource(pixels[..(int)required], width, height, stride, bpp, swap);
    }

    /// <summary>Copies (and converts) every row into packed RGB rows of <paramref name="destination"/>.</summary>
    public void CopyToRgb(Span<byte> destination, int destinationStride)
    {
        for (int y = 0; y < Height; y++)
        {
            CopyRowToRgb(y, destination.Slice(y * destinationStride, 3 * Width));
        }
    }

    /// <summary>Copies (and converts) one row into <paramref name="destination"/> (3 x Width bytes).</summary>
    public void CopyRowToRgb(int y, Span<byte> destination)
    {
        ReadOnlySpan<byte> row = Data.Slice(y * Stride, Width * BytesPerPixel);
        if (IsRgb24)
        {
            row.CopyTo(destination);
            return;
        }

        ref byte src = ref MemoryMarshal.GetReference(row);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        int bpp = BytesPerPixel;
        int r = RedOffset, b = BlueOffset;
        for (int x = 0; x < Width; x++)
        {
            ref byte p = ref Unsafe.Add(ref src, x * bpp);
            Unsafe.Add(ref dst, 3 * x) = Unsafe.Add(ref p, r);
            Unsafe.Add(ref dst, 3 * x + 1) = Unsafe.Add(ref p, 1);
            Unsafe.Add(ref dst, 3 * x + 2) = Unsafe.Add(ref p, b);
        }
    }
}
