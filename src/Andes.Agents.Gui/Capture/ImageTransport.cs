namespace Andes.Agents.Gui;

/// <summary>How a captured screen frame is put into a chat message.</summary>
public enum ImageTransport
{
    /// <summary>
    /// Raw BGRA pixels when the client is the Andes engine (its <see cref="Microsoft.Extensions.AI.ChatClientMetadata"/>
    /// provider name is <c>andes</c>), PNG otherwise. The default.
    /// </summary>
    Auto,

    /// <summary>Always PNG (<c>image/png</c>): every vision client understands it.</summary>
    Png,

    /// <summary>
    /// Always raw pixels (<c>image/x-raw; format=bgra32; ...</c>, see <see cref="RawFrameContent"/>): no encode,
    /// no decode. Only the Andes engine understands it.
    /// </summary>
    RawPixels,
}
