using Andes.GenAI.Models;
using Andes.GenAI.Runtime;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Andes.GenAI.Chat;

/// <summary>Registers an <see cref="AndesChatClient"/> with dependency injection.</summary>
public static class AndesServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="IChatClient"/> over the model folder (loaded once, on first use) and returns its
    /// <see cref="ChatClientBuilder"/> so middleware can be added (<c>.UseLogging()</c>, <c>.UseOpenTelemetry()</c>,
    /// <c>.UseFunctionInvocation()</c>, ...). The <see cref="AndesModel"/> is registered as a singleton too.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelDirectory">The model folder.</param>
    /// <param name="configure">Adjusts the client options.</param>
    /// <param name="modelOptions">Session options; null for the folder's.</param>
    /// <returns>The builder of the registered client.</returns>
    public static ChatClientBuilder AddAndesChatClient(this IServiceCollection services, string modelDirectory, Action<AndesChatClientOptions>? configure = null, AndesModelOptions? modelOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        var options = new AndesChatClientOptions();
        configure?.Invoke(options);
        services.AddSingleton(_ => AndesModel.Load(modelDirectory, modelOptions));
        return services.AddChatClient(sp => new AndesChatClient(sp.GetRequiredService<AndesModel>(), options));
    }

    /// <summary>Registers a keyed <see cref="IChatClient"/> over the model folder (for several models side by side).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key.</param>
    /// <param name="modelDirectory">The model folder.</param>
    /// <param name="configure">Adjusts the client options.</param>
    /// <param name="modelOptions">Session options; null for the folder's.</param>
    /// <returns>The builder of the registered client.</returns>
    public static ChatClientBuilder AddKeyedAndesChatClient(this IServiceCollection services, object serviceKey, string modelDirectory, Action<AndesChatClientOptions>? configure = null, AndesModelOptions? modelOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        var options = new AndesChatClientOptions();
        configure?.Invoke(options);
        services.AddKeyedSingleton(serviceKey, (_, _) => AndesModel.Load(modelDirectory, modelOptions));
        return services.AddKeyedChatClient(serviceKey, sp => new AndesChatClient(sp.GetRequiredKeyedService<AndesModel>(serviceKey), options));
    }
}
