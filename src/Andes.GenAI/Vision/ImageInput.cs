using System.IO.Hashing;
using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>
/// One image of a prompt, resolved from its message content (an encoded <c>image/*</c> <see cref="DataContent"/>, raw
/// pixel content, or a file <see cref="UriContent"/>) to its bytes, its claimed size (from the header only: nothing is
/// decoded yet) and a content hash. Checks size limits before any pixel memory is allocated.
/// </summary>
internal sealed class ImageInput
{
    /// <summary>The largest image file read from a file URI (256 MiB).</summary>
    internal const long MaxFileBytes = 256L * 1024 * 1024;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly RawPixelLayout? _raw;

    private ImageInput(string name, ReadOnlyMemory<byte> data, RawPixelLayout? raw, int width, int height)
    {
        Name = name;
        _data = data;
        _raw = raw;
        Width = width;
        Height = height;
        var hash = new XxHash128();
        hash.Append(data.Span);
        if (raw is { } r)
        {
            Span<int> layout = [r.Width, r.Height, (int)r.Format, r.Stride];
            hash.Append(System.Runtime.InteropServices.MemoryMarshal.AsBytes(layout));
        }

        ContentHash = hash.GetCurrentHashAsUInt128();
    }

    /// <summary>A name for messages: position in the prompt and where the image came from.</summary>
    public string Name { get; }

    /// <summary>The width the image claims.</summary>
    public int Width { get; }

    /// <summary>The height the image claims.</summary>
    public int Height { get; }

    /// <summary>XxHash128 of the bytes (and, for raw pixels, of the layout).</summary>
    public UInt128 ContentHash { get; }

    /// <summary>Resolves an image content.</summary>
    /// <param name="content">A <see cref="DataContent"/> or file <see cref="UriContent"/> with an image media type.</param>
    /// <param name="index">The image's index in the prompt (0-based).</param>
    /// <param name="limits">The decoder's limits.</param>
    /// <exception cref="InvalidImageException">Empty, unsupported, truncated, corrupt or too large (from the header alone).</exception>
    /// <exception cref="ArgumentException">A URI that is not a local file.</exception>
    /// <exception cref="FileNotFoundException">A file URI names no file.</exception>
    public static ImageInput Resolve(AIContent content, int index, ImageDecoderOptions limits)
    {
        ArgumentNullException.ThrowIfNull(content);
        switch (content)
        {
            case DataContent data:
            {
                string name = $"image {index + 1}" + (data.Name is { } n ? $" '{n}'" : string.Empty) + $" ({data.MediaType.Split(';')[0]}, {data.Data.Length} bytes)";
                if (TryGetRawLayout(data, name, out RawPixelLayout layout))
                {
                    // Validates the buffer against the layout and the pixel limit; no copy.
                    _ = PixelSource.Create(data.Data.Span, layout.Width, layout.Height, layout.Format, layout.Stride, limits.MaxPixels, name);
                    return new ImageInput(name, data.Data, layout, layout.Width, layout.Height);
                }

                return FromEncoded(name, data.Data, limits);
            }

            case UriContent uri when uri.Uri.IsFile:
            {
                string path = uri.Uri.LocalPath;
                string name = $"image {index + 1} '{path}'";
                var info = new FileInfo(path);
                if (!info.Exists)
                {
                    throw new FileNotFoundException($"Image {index + 1}: the file '{path}' ({uri.Uri}) does not exist.", path);
                }

                if (info.Length > MaxFileBytes)
                {
                    throw new InvalidImageException(
                        ImageErrorKind.TooLarge, $"The {name} has {info.Length} bytes, more than the limit of {MaxFileBytes} bytes for an image file.", path);
                }

                return FromEncoded(name, File.ReadAllBytes(path), limits);
            }

            case UriContent uri:
                throw new ArgumentException(
                    $"Image {index + 1}: '{uri.Uri}' is not a local file; the engine reads no network. Download it and pass a DataContent with its bytes.", nameof(content));

            default:
                throw new ArgumentException($"Image {index + 1}: {content.GetType().Name} is not an image content.", nameof(content));
        }
    }

    /// <summary>Decodes (if encoded) and preprocesses the image.</summary>
    /// <param name="processor">The processor (its sizing decides the geometry).</param>
    /// <returns>The patch matrix; dispose it.</returns>
    public ProcessedImage Process(ImageProcessor processor) => _raw is { } r
        ? processor.Process(_data.Span, r.Width, r.Height, r.Format, r.Stride)
        : processor.ProcessEncoded(_data.Span, Name);

    private static ImageInput FromEncoded(string name, ReadOnlyMemory<byte> data, ImageDecoderOptions limits)
    {
        ImageHeader header = ImageDecoder.ReadHeader(data.Span, name);
        if (header.PixelCount > limits.MaxPixels)
        {
            throw new InvalidImageException(
                ImageErrorKind.TooLarge,
                $"The {name} claims {header.Width} x {header.Height} ({header.PixelCount} pixels), more than the limit of {limits.MaxPixels} pixels.",
                name, header.Format, header.Width, header.Height);
        }

        return new ImageInput(name, data, null, header.Width, header.Height);
    }

    /// <summary>The layout of raw pixel content, or false for an encoded image; a malformed raw media type is an <see cref="InvalidImageException"/>.</summary>
    private static bool TryGetRawLayout(DataContent data, string name, out RawPixelLayout layout)
    {
        try
        {
            return RawPixelContent.TryGetLayout(data, out layout);
        }
        catch (FormatException ex)
        {
            throw new InvalidImageException(ImageErrorKind.InvalidPixelBuffer, ex.Message, name, innerException: ex);
        }
    }
}
