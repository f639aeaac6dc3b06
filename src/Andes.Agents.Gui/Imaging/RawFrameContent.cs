using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui;

/// <summary>
/// Unencoded pixels as message content: a <see cref="DataContent"/> whose media type carries the layout,
/// <c>image/x-raw; format=bgra32; width=W; height=H; stride=S</c>. The Andes engine takes it straight into its image
/// processor (no PNG encode here, no decode there); other clients do not understand it, so it is only sent to the
/// engine (see <see cref="ImageTransport"/>).
/// </summary>
/// <remarks>Stateless and thread-safe. The media type is the shared <see cref="RawPixelContent"/> convention (Andes.Abstractions); this class adds reading it into a <see cref="BgraImage"/>.</remarks>
public static class RawFrameContent
{
    /// <summary>The media type without parameters: <c>image/x-raw</c>.</summary>
    public const string MediaType = RawPixelContent.MediaType;

    /// <summary>The media type of a BGRA frame of this size.</summary>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <param name="stride">Bytes per row.</param>
    public static string FormatMediaType(int width, int height, int stride)
        => string.Create(CultureInfo.InvariantCulture, $"{MediaType}; format=bgra32; width={width}; height={height}; stride={stride}");

    /// <summary>Wraps the frame's pixels (no copy) as raw pixel content (the shared <see cref="RawPixelContent"/> convention).</summary>
    /// <param name="image">The frame.</param>
    public static DataContent Create(BgraImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int length = checked((image.Height - 1) * image.Stride + image.Width * 4);
        return RawPixelContent.Create(image.Pixels.AsMemory(0, length), image.Width, image.Height, ImagePixelFormat.Bgra32, image.Stride);
    }

    /// <summary>Whether the content's media type is <c>image/x-raw</c> (whatever its parameters).</summary>
    /// <param name="content">The content.</param>
    public static bool IsRawFrame(DataContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        string type = content.MediaType;
        int semicolon = type.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? type : type[..semicolon]).Trim().Equals(MediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads raw pixel content as a BGRA image (no copy when it already is packed BGRA at offset 0).</summary>
    /// <param name="content">The content.</param>
    /// <param name="image">The image, or null when the content is not raw pixels.</param>
    /// <returns>Whether the content is raw pixels.</returns>
    /// <exception cref="InvalidDataException">The media type is <c>image/x-raw</c> but malformed, or the data is shorter than it says.</exception>
    public static bool TryRead(DataContent content, out BgraImage? image)
    {
        image = null;
        if (!IsRawFrame(content))
        {
            return false;
        }

        RawPixelLayout layout;
        try
        {
            RawPixelContent.TryGetLayout(content, out layout);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }

        int width = layout.Width, height = layout.Height, bytesPerPixel = RawPixelContent.BytesPerPixel(layout.Format);
        string format = RawPixelContent.FormatName(layout.Format);
        int stride = layout.Stride == 0 ? width * bytesPerPixel : layout.Stride;
        if (stride < (long)width * bytesPerPixel)
        {
            throw Invalid(content, string.Create(CultureInfo.InvariantCulture, $"stride {stride} is less than one row of {width} {format} pixels"));
        }

        long needed = (long)(height - 1) * stride + (long)width * bytesPerPixel;
        ReadOnlySpan<byte> data = content.Data.Span;
        if (data.Length < needed)
        {
            throw Invalid(content, string.Create(CultureInfo.InvariantCulture, $"the data holds {data.Length} bytes; {width}x{height} {format} with stride {stride} needs {needed}"));
        }

        if (format == "bgra32" && MemoryMarshal.TryGetArray(content.Data, out ArraySegment<byte> segment) && segment.Offset == 0 && segment.Array is { } array)
        {
            image = new BgraImage(array, width, height, stride);
            return true;
        }

        var converted = new BgraImage(width, height);
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = data.Slice(y * stride, width * bytesPerPixel);
            Span<byte> output = converted.GetRow(y);
            for (int x = 0; x < width; x++)
            {
                ReadOnlySpan<byte> p = row.Slice(x * bytesPerPixel, bytesPerPixel);
                (byte r, byte g, byte b, byte a) = format switch
                {
                    "bgra32" => (p[2], p[1], p[0], p[3]),
                    "rgba32" => (p[0], p[1], p[2], p[3]),
                    "rgb24" => (p[0], p[1], p[2], (byte)255),
                    _ => (p[2], p[1], p[0], (byte)255),
                };
                output[4 * x] = b;
                output[4 * x + 1] = g;
                output[4 * x + 2] = r;
                output[4 * x + 3] = a;
            }
        }

        image = converted;
        return true;
    }

    private static InvalidDataException Invalid(DataContent content, string what)
        => new($"Raw pixel content '{content.MediaType}'{(content.Name is { } n ? $" ({n})" : string.Empty)}: {what}.");
}
