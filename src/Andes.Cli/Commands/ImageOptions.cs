using System.CommandLine;
using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.Cli.Commands;

/// <summary>The <c>--image</c> / <c>--image-max-size</c> options shared by <c>chat</c>, <c>generate</c> and <c>describe</c>.</summary>
internal sealed class ImageOptions
{
    public Option<string[]> Images { get; } = new("--image")
    {
        Description = "An image file (PNG, JPEG, BMP, GIF); repeat for several, in order.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<int?> MaxSize { get; } = new Option<int?>("--image-max-size")
    {
        Description = "Scale images to at most this size squared of area (AndesVL max_size; default: the model's processor config, 733).",
    }.AtLeast(28, "at least one 2x2 group of 14-pixel patches");

    public void AddTo(Command command, bool withImages = true)
    {
        if (withImages)
        {
            command.Options.Add(Images);
        }

        command.Options.Add(MaxSize);
    }

    /// <summary>Reads every <c>--image</c> file as message content, before any model loads.</summary>
    public List<AIContent> LoadAll(ParseResult parse) => [.. (parse.GetValue(Images) ?? []).Select(path => Load(path))];

    /// <summary>
    /// Reads an image file as message content. The header is checked here, so a missing file or one that is not an
    /// image is a usage error (an <see cref="ArgumentException"/> naming <paramref name="source"/> and the file)
    /// before the model loads or runs.
    /// </summary>
    public static DataContent Load(string path, string source = "--image")
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException(Directory.Exists(path)
                ? $"{source} {path}: that is a folder; give an image file (PNG, JPEG, BMP or GIF)."
                : $"{source} {path}: the file does not exist.");
        }

        byte[] bytes = File.ReadAllBytes(path);
        ImageHeader header;
        try
        {
            header = ImageDecoder.ReadHeader(bytes, path);
        }
        catch (InvalidImageException e)
        {
            throw new ArgumentException($"{source}: {e.Message}", e);
        }

        string mediaType = header.Format switch
        {
            ImageFormat.Png => "image/png",
            ImageFormat.Jpeg => "image/jpeg",
            ImageFormat.Bmp => "image/bmp",
            ImageFormat.Gif => "image/gif",
            _ => "image/" + header.Format.ToString().ToLowerInvariant(),
        };
        return new DataContent(bytes, mediaType) { Name = Path.GetFileName(path) };
    }

    /// <summary>The model, checked to take images when any are given.</summary>
    public static void RequireVision(AndesModel model, int imageCount)
    {
        if (imageCount > 0 && !model.SupportsImages)
        {
            throw new ArgumentException($"--image: the model '{model.Directory}' has no vision graph (genai_config.json has no model.vision section).");
        }
    }
}
