using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;

namespace Andes;

/// <summary>
/// Raw, unencoded pixels (for example a BGRA screen capture) as a <see cref="DataContent"/> that
/// the Andes engine (<c>AndesChatClient</c>) hands straight to the image processor: no PNG encode on the caller's side, no
/// decode on the engine's. The convention is the media type alone, so code that knows nothing of Andes (a GUI agent
/// that only has an <see cref="IChatClient"/>) can produce it:
/// <c>image/x-raw; format=bgra32; width=1920; height=1080; stride=7680</c> (<c>stride</c> optional: packed rows).
/// </summary>
public static class RawPixelContent
{
    /// <summary>The media type without parameters: <c>image/x-raw</c>.</summary>
    public const string MediaType = "image/x-raw";

    /// <summary>Wraps a pixel buffer.</summary>
    /// <param name="pixels">The pixels; row y starts at <c>y * stride</c>. Not copied: do not change it while the content is in use.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <param name="format">The pixel layout.</param>
    /// <param name="stride">Bytes from one row to the next; 0 means packed.</param>
    /// <returns>The content.</returns>
    /// <exception cref="ArgumentException">A size is not positive, the stride is shorter than a row, or the buffer does not hold the given size.</exception>
    public static DataContent Create(ReadOnlyMemory<byte> pixels, int width, int height, ImagePixelFormat format, int stride = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegative(stride);
        int rowBytes = checked(width * BytesPerPixel(format));
        stride = stride == 0 ? rowBytes : stride;
        if (stride < rowBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"The stride is less than one row of {width} {FormatName(format)} pixels ({rowBytes} bytes).");
        }

        long needed = ((long)(height - 1) * stride) + rowBytes;
        if (pixels.Length < needed)
        {
            throw new ArgumentException($"The buffer holds {pixels.Length} bytes; {width} x {height} {FormatName(format)} pixels with stride {stride} need {needed}.", nameof(pixels));
        }

        string mediaType = string.Create(
            CultureInfo.InvariantCulture,
            $"{MediaType}; format={FormatName(format)}; width={width}; height={height}; stride={stride}");
        return new DataContent(pixels, mediaType);
    }

    /// <summary>Reads the layout of raw pixel content from its media type.</summary>
    /// <param name="content">The content.</param>
    /// <param name="layout">The layout, when this is raw pixel content.</param>
    /// <returns>Whether <paramref name="content"/> has the <c>image/x-raw</c> media type.</returns>
    /// <exception cref="FormatException">The media type is <c>image/x-raw</c> but a parameter is missing or invalid (the message names it).</exception>
    public static bool TryGetLayout(DataContent content, out RawPixelLayout layout)
    {
        ArgumentNullException.ThrowIfNull(content);
        layout = default;
        if (!MediaTypeHeaderValue.TryParse(content.MediaType, out MediaTypeHeaderValue? parsed)
            || !string.Equals(parsed.MediaType, MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string? Parameter(string name) =>
            parsed.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');

        int Required(string name)
        {
            string? text = Parameter(name);
            return text is not null && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
                ? value
                : throw Invalid($"parameter '{name}' is {(text is null ? "missing" : $"'{text}', not a positive integer")}");
        }

        string? formatText = Parameter("format");
        ImagePixelFormat format = formatText?.ToLowerInvariant() switch
        {
            "rgb24" => ImagePixelFormat.Rgb24,
            "bgr24" => ImagePixelFormat.Bgr24,
            "rgba32" => ImagePixelFormat.Rgba32,
            "bgra32" => ImagePixelFormat.Bgra32,
            _ => throw Invalid($"parameter 'format' is {(formatText is null ? "missing" : $"'{formatText}'")}; expected rgb24, bgr24, rgba32 or bgra32"),
        };
        int width = Required("width");
        int height = Required("height");
        int stride = Parameter("stride") is null ? 0 : Required("stride");
        layout = new RawPixelLayout(width, height, format, stride);
        return true;

        FormatException Invalid(string what) => new($"Raw pixel content '{content.MediaType}'{(content.Name is { } n ? $" ({n})" : string.Empty)}: {what}.");
    }

    /// <summary>Bytes per pixel of a format (3 or 4).</summary>
    /// <param name="format">The format.</param>
    public static int BytesPerPixel(ImagePixelFormat format) => format switch
    {
        ImagePixelFormat.Rgb24 or ImagePixelFormat.Bgr24 => 3,
        ImagePixelFormat.Rgba32 or ImagePixelFormat.Bgra32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
    };

    /// <summary>The format's name in the media type (<c>rgb24</c>, <c>bgr24</c>, <c>rgba32</c>, <c>bgra32</c>).</summary>
    /// <param name="format">The format.</param>
    public static string FormatName(ImagePixelFormat format) => format switch
    {
        ImagePixelFormat.Rgb24 => "rgb24",
        ImagePixelFormat.Bgr24 => "bgr24",
        ImagePixelFormat.Rgba32 => "rgba32",
        ImagePixelFormat.Bgra32 => "bgra32",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
    };
}
