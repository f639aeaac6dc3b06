using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Imaging;

/// <summary>
/// Unencoded pixels as message content: a <see cref="DataContent"/> whose media type carries the layout,
/// <c>image/x-raw; format=bgra32; width=W; height=H; stride=S</c>. The Andes engine takes it straight into its image
/// processor (no PNG encode here, no decode there); other clients do not understand it, so it is only sent to the
/// engine (see <see cref="Capture.ImageTransport"/>).
/// </summary>
/// <remarks>Stateless and thread-safe. The convention is the engine's (<c>Andes.GenAI.Vision.RawPixelContent</c>), restated here because this library does not reference the engine.</remarks>
public static class RawFrameContent
{
    /// <summary>The media type without parameters: <c>image/x-raw</c>.</summary>
    public const string MediaType = "image/x-raw";

    /// <summary>The media type with the layout parameters of a BGRA buffer.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="stride">Bytes from one row to the next.</param>
    /// <returns>For example <c>image/x-raw; format=bgra32; width=1920; height=1080; stride=7680</c>.</returns>
    public static string FormatMediaType(int width, int height, int stride)
        => string.Create(CultureInfo.InvariantCulture, $"{MediaType}; format=bgra32; width={width}; height={height}; stride={stride}");

    /// <summary>Wraps an image's pixels (no copy: do not change the image while the content is in use).</summary>
    /// <param name="image">The image.</param>
    /// <returns>The content, <see cref="DataContent.Data"/> covering exactly the rows (the last row without its stride padding).</returns>
    public static DataContent Create(BgraImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int length = checked((image.Height - 1) * image.Stride + image.Width * 4);
        return new DataContent(image.Pixels.AsMemory(0, length), FormatMediaType(image.Width, image.Height, image.Stride));
    }

    /// <summary>Whether content is raw pixel content (media type <c>image/x-raw</c>, parameters not checked).</summary>
    /// <param name="content">The content.</param>
    /// <returns>True for <c>image/x-raw</c>.</returns>
    public static bool IsRawFrame(DataContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        string type = content.MediaType;
        int semicolon = type.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? type : type[..semicolon]).Trim().Equals(MediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Reads raw pixel content back into a BGRA image: <c>bgra32</c> backed by an array is wrapped without a copy;
    /// <c>rgba32</c>, <c>rgb24</c> and <c>bgr24</c> (the engine's other layouts) are converted.
    /// </summary>
    /// <param name="content">The content.</param>
    /// <param name="image">The pixels, when the content is raw pixel content.</param>
    /// <returns>False when the media type is not <c>image/x-raw</c>.</returns>
    /// <exception cref="InvalidDataException">The media type is <c>image/x-raw</c> but a parameter is missing or invalid, or the data is too short (the message says which).</exception>
    public static bool TryRead(DataContent content, out BgraImage? image)
    {
        image = null;
        if (!IsRawFrame(content))
        {
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in content.MediaType.Split(';').Skip(1))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                parameters[part[..eq].Trim()] = part[(eq + 1)..].Trim().Trim('"');
            }
        }

        int Required(string name) =>
            parameters.TryGetValue(name, out string? text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
                ? value
                : throw Invalid(content, $"parameter '{name}' is {(text is null ? "missing" : $"'{text}', not a positive integer")}");

        string format = parameters.TryGetValue("format", out string? f) ? f.ToLowerInvariant() : string.Empty;
        int bytesPerPixel = format switch
        {
            "bgra32" or "rgba32" => 4,
            "rgb24" or "bgr24" => 3,
            _ => throw Invalid(content, $"parameter 'format' is {(f is null ? "missing" : $"'{f}'")}; expected rgb24, bgr24, rgba32 or bgra32"),
        };
        int width = Required("width");
        int height = Required("height");
        int stride = parameters.ContainsKey("stride") ? Required("stride") : width * bytesPerPixel;
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
