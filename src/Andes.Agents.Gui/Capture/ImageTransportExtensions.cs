using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui;

/// <summary>Resolves <see cref="ImageTransport.Auto"/> against a chat client.</summary>
public static class ImageTransportExtensions
{
    /// <summary>The <see cref="ChatClientMetadata.ProviderName"/> of the Andes engine's chat client.</summary>
    public const string AndesProviderName = "andes";

    /// <summary>Whether a client is the Andes engine (possibly behind middleware that forwards <c>GetService</c>).</summary>
    /// <param name="client">The client.</param>
    /// <returns>True when its metadata's provider name is <see cref="AndesProviderName"/>.</returns>
    public static bool IsAndesEngine(IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return string.Equals(client.GetService<ChatClientMetadata>()?.ProviderName, AndesProviderName, StringComparison.Ordinal);
    }

    /// <summary>The concrete transport for a client: <see cref="ImageTransport.Auto"/> becomes raw pixels for the Andes engine and PNG otherwise.</summary>
    /// <param name="transport">The configured transport.</param>
    /// <param name="client">The client the frames go to.</param>
    /// <returns><see cref="ImageTransport.Png"/> or <see cref="ImageTransport.RawPixels"/>.</returns>
    public static ImageTransport Resolve(this ImageTransport transport, IChatClient client) => transport switch
    {
        ImageTransport.Auto => IsAndesEngine(client) ? ImageTransport.RawPixels : ImageTransport.Png,
        ImageTransport.Png or ImageTransport.RawPixels => transport,
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "Unknown image transport."),
    };
}
