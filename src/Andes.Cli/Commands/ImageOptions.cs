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

    public Option<int?> MaxSize { get; } = new("--image-max-size")
    {
        Description = "Scale images to at most this size squared of area (AndesVL max_size; default: the model's processor config, 733).",
    };

    public void AddTo(Command command, bool withImages = true)
    {
        if (withImages)
        {
            command.Options.Add(Images);
        }

        command.Options.Add(MaxSize);
    }

    /// <summary>Reads an image file as message content (the header is checked here, so a bad file fails before the model runs).</summary>
    public static DataContent Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--image: the file '{path}' does not exist.", path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        ImageHeader header = ImageDecoder.ReadHeader(bytes, path);
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
