using Andes.GenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an <see cref="AndesChatClient"/> with dependency injection.</summary>
/// <remarks>
/// The model is loaded with the container's <see cref="ILoggerFactory"/> when the model options set none
/// (<see cref="AndesModelOptions.LoggerFactory"/>), so the engine's load and request logs go where the host's logs go.
/// </remarks>
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
        services.AddSingleton(sp => AndesModel.Load(modelDirectory, (modelOptions ?? new AndesModelOptions()).WithDefaultLoggerFactory(sp.GetService<ILoggerFactory>())));
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
        services.AddKeyedSingleton(serviceKey, (sp, _) => AndesModel.Load(modelDirectory, (modelOptions ?? new AndesModelOptions()).WithDefaultLoggerFactory(sp.GetService<ILoggerFactory>())));
        return services.AddKeyedChatClient(serviceKey, sp => new AndesChatClient(sp.GetRequiredKeyedService<AndesModel>(serviceKey), options));
    }

    /// <summary>
    /// Registers an <see cref="IChatClient"/> over the model folder with the LoRA adapters and skills
    /// <paramref name="configureSkills"/> registers (on top of the folder's own <c>skills.json</c>): requests activate
    /// them with <c>options.WithSkill(name)</c> / <c>options.WithAdapter(name)</c>. The <see cref="AndesModel"/>, the
    /// <see cref="SkillRegistry"/> and the <see cref="AdapterRegistry"/> (every adapter loaded once, resident) are
    /// registered as singletons too, created with the client on first use and disposed by the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelDirectory">The model folder (converted with LoRA targets when adapters are registered).</param>
    /// <param name="configureSkills">Registers adapters, skills and <c>skills.json</c> files.</param>
    /// <param name="configure">Adjusts the client options (its <see cref="AndesChatClientOptions.Adapters"/> and <see cref="AndesChatClientOptions.Skills"/> are replaced by the registered ones).</param>
    /// <param name="modelOptions">Session options; null for the folder's.</param>
    /// <returns>The builder of the registered client.</returns>
    public static ChatClientBuilder AddAndesChatClient(this IServiceCollection services, string modelDirectory, Action<AndesSkillsBuilder> configureSkills, Action<AndesChatClientOptions>? configure = null, AndesModelOptions? modelOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentNullException.ThrowIfNull(configureSkills);
        var skills = new AndesSkillsBuilder();
        configureSkills(skills);
        var options = new AndesChatClientOptions();
        configure?.Invoke(options);
        services.AddSingleton(sp => AndesModel.Load(modelDirectory, (modelOptions ?? new AndesModelOptions()).WithDefaultLoggerFactory(sp.GetService<ILoggerFactory>())));
        services.AddSingleton(_ => skills.BuildSkills(modelDirectory));
        services.AddSingleton(sp => AndesSkillsBuilder.LoadAdapters(sp.GetRequiredService<AndesModel>(), sp.GetRequiredService<SkillRegistry>()));
        return services.AddChatClient(sp => new AndesChatClient(sp.GetRequiredService<AndesModel>(), WithRegistries(options, sp.GetRequiredService<AdapterRegistry>(), sp.GetRequiredService<SkillRegistry>())));
    }

    /// <summary>Registers a keyed <see cref="IChatClient"/> over the model folder with adapters and skills (see the unkeyed overload); the model and registries are keyed singletons under the same key.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key.</param>
    /// <param name="modelDirectory">The model folder.</param>
    /// <param name="configureSkills">Registers adapters, skills and <c>skills.json</c> files.</param>
    /// <param name="configure">Adjusts the client options.</param>
    /// <param name="modelOptions">Session options; null for the folder's.</param>
    /// <returns>The builder of the registered client.</returns>
    public static ChatClientBuilder AddKeyedAndesChatClient(this IServiceCollection services, object serviceKey, string modelDirectory, Action<AndesSkillsBuilder> configureSkills, Action<AndesChatClientOptions>? configure = null, AndesModelOptions? modelOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentNullException.ThrowIfNull(configureSkills);
        var skills = new AndesSkillsBuilder();
        configureSkills(skills);
        var options = new AndesChatClientOptions();
        configure?.Invoke(options);
        services.AddKeyedSingleton(serviceKey, (sp, _) => AndesModel.Load(modelDirectory, (modelOptions ?? new AndesModelOptions()).WithDefaultLoggerFactory(sp.GetService<ILoggerFactory>())));
        services.AddKeyedSingleton(serviceKey, (_, _) => skills.BuildSkills(modelDirectory));
        services.AddKeyedSingleton(serviceKey, (sp, key) => AndesSkillsBuilder.LoadAdapters(sp.GetRequiredKeyedService<AndesModel>(key), sp.GetRequiredKeyedService<SkillRegistry>(key)));
        return services.AddKeyedChatClient(serviceKey, sp => new AndesChatClient(
            sp.GetRequiredKeyedService<AndesModel>(serviceKey),
            WithRegistries(options, sp.GetRequiredKeyedService<AdapterRegistry>(serviceKey), sp.GetRequiredKeyedService<SkillRegistry>(serviceKey))));
    }

    private static AndesChatClientOptions WithRegistries(AndesChatClientOptions options, AdapterRegistry adapters, SkillRegistry skills)
    {
        AndesChatClientOptions copy = options.Clone();
        copy.Adapters = adapters;
        copy.Skills = skills;
        return copy;
    }
}
