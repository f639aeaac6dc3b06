using Andes.Agents.Gui;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui;

/// <summary>
/// A captured screenshot: BGRA pixels plus the virtual-desktop rectangle they show. The pixel size may differ from the
/// bounds' size when desktop coordinates are logical (DPI-scaled); <see cref="CoordinateMapper"/> accounts for it.
/// </summary>
/// <param name="Image">The pixels (BGRA, top-down).</param>
/// <param name="Bounds">The desktop rectangle shown.</param>
/// <param name="ScaleFactor">The DPI scale of the monitor the frame was taken on (the dominant one for a region).</param>
/// <param name="CapturedAt">When it was captured.</param>
public sealed record ScreenFrame(BgraImage Image, ScreenRectangle Bounds, double ScaleFactor, DateTimeOffset CapturedAt)
{
    /// <summary>Pixel width.</summary>
    public int Width => Image.Width;

    /// <summary>Pixel height.</summary>
    public int Height => Image.Height;

    /// <summary>Encodes the frame as PNG.</summary>
    /// <param name="options">Encoder settings; null for the defaults.</param>
    /// <returns>The PNG bytes.</returns>
    public byte[] EncodePng(PngEncoderOptions? options = null) => PngEncoder.Encode(Image, options);

    /// <summary>The frame as a PNG <see cref="DataContent"/> (media type <c>image/png</c>) to put into a user message.</summary>
    /// <param name="options">Encoder settings; null for the defaults.</param>
    /// <returns>The content.</returns>
    public DataContent ToDataContent(PngEncoderOptions? options = null) => new(EncodePng(options), PngEncoder.MediaType);

    /// <summary>
    /// The frame as raw BGRA content (<c>image/x-raw; format=bgra32; width=W; height=H; stride=S</c>, see
    /// <see cref="RawFrameContent"/>): no encoding, no copy. Only the Andes engine understands it.
    /// </summary>
    /// <returns>The content (it shares the frame's pixel buffer).</returns>
    public DataContent ToRawDataContent() => RawFrameContent.Create(Image);

    /// <summary>The frame as message content in the given transport.</summary>
    /// <param name="transport">
    /// <see cref="ImageTransport.RawPixels"/> for raw BGRA; <see cref="ImageTransport.Png"/> (or an unresolved
    /// <see cref="ImageTransport.Auto"/>: resolve it against the client first with <see cref="ImageTransportExtensions.Resolve"/>) for PNG.
    /// </param>
    /// <param name="png">PNG settings; null for the defaults.</param>
    /// <returns>The content.</returns>
    public DataContent ToDataContent(ImageTransport transport, PngEncoderOptions? png = null)
        => transport == ImageTransport.RawPixels ? ToRawDataContent() : ToDataContent(png);
}
