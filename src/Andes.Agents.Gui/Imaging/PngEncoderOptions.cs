using System.IO.Compression;

namespace Andes.Agents.Gui;

/// <summary>Settings for <see cref="PngEncoder"/>. Immutable.</summary>
public sealed class PngEncoderOptions
{
    /// <summary>The defaults: RGB (alpha dropped; screenshots are opaque), fastest compression.</summary>
    public static PngEncoderOptions Default { get; } = new();

    /// <summary>The zlib compression level (<see cref="CompressionLevel.Fastest"/> by default: screenshots are big).</summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>Write RGBA (colour type 6) instead of RGB (colour type 2).</summary>
    public bool IncludeAlpha { get; init; }
}
