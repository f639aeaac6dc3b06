using Andes.SemanticKernel;
using Andes.GenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Microsoft.SemanticKernel;

/// <summary>
/// Registers an Andes model for Semantic Kernel: an <see cref="IChatClient"/> and an <see cref="IChatCompletionService"/>
/// over the same pipeline, keyed by the service id.
/// </summary>
/// <remarks>
/// <para>The registered pipeline is Semantic Kernel's own kernel-function-invoking chat client over
/// <see cref="AndesChatClient"/>: with <c>FunctionChoiceBehavior.Auto()</c> or <c>Required()</c> in the execution
/// settings, the kernel's functions are offered as tools, the calls the model makes are invoked through the kernel, and
/// the kernel's <see cref="IAutoFunctionInvocationFilter"/>s run around each call. Tool modes (none / auto / required) go
/// through to <see cref="AndesChatClient"/> unchanged. Settings keys are mapped as <see cref="AndesPromptExecutionSettings"/>
/// describes, for typed and plain <see cref="PromptExecutionSettings"/> alike.</para>
/// <para>The model is loaded on first use and shared by the chat client and the chat completion service; the container
/// disposes it. A null <c>serviceId</c> registers the default (unkeyed) services.</para>
/// <para>The engine logs through the container's <see cref="ILoggerFactory"/> (the kernel builder's logging) unless the
/// model options set <see cref="AndesModelOptions.LoggerFactory"/>; a client over a model the caller loaded logs through
/// that model's factory, else the container's.</para>
/// <para>Named <c>AddAndesChatCompletion</c> (Semantic Kernel's convention) so it never clashes with Andes.GenAI's
/// <c>AddAndesChatClient</c>, the plain <see cref="IChatClient"/> registration without Semantic Kernel wiring.</para>
/// </remarks>
public static class AndesKernelServiceCollectionExtensions
{
    /// <summary>Registers an Andes model folder as a Semantic Kernel chat service.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelDirectory">The model folder (loaded on first use).</param>
    /// <param name="configure">Adjusts the chat client options.</param>
    /// <param name="modelOptions">Session options; null for the folder's.</param>
    /// <param name="serviceId">The service id (the DI key); null for the default service.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddAndesChatCompletion(
        this IServiceCollection services,
        string modelDirectory,
        Action<AndesChatClientOptions>? configure = null,
        AndesModelOptions? modelOptions = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        AndesChatClientOptions options = Configure(configure);
        return services.AddKernelChatClient(serviceId, sp => new AndesChatClient(modelDirectory, options, (modelOptions ?? new AndesModelOptions()).WithDefaultLoggerFactory(sp.GetService<ILoggerFactory>())));
    }

    /// <summary>
    /// Registers an Andes model folder as a Semantic Kernel chat service with the LoRA adapters and skills
    /// <paramref name="configureSkills"/> registers (on top of the folder's <c>skills.json</c>): settings with
    /// <c>skill</c>/<c>adapter</c> activate them, and <c>kernelBuilder.Plugins.AddAndesSkillsFromServices(serviceId)</c> turns the
    /// skills into kernel functions. The model, the <see cref="Andes.GenAI.SkillRegistry"/> and the
    /// <see cref="Andes.GenAI.AdapterRegistry"/> are keyed singletons under <paramref name="serviceId"/>,
    /// created on first use and disposed by the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelDirectory">The model folder (loaded on first use).</param>
    /// <param name="configureSkills">Registers adapters, skills and <c>skills.json</c> files.</param>
    /// <param name="configure">Adjusts the chat client options.</param>
    /// <param name="modelOptions">Session options; null for the folder's.</param>
    /// <param name="serviceId">The service id (the DI key); null for the default service.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddAndesChatCompletion(
        this IServiceCollection services,
        string modelDirectory,
        Action<AndesSkillsBuilder> configureSkills,
        Action<AndesChatClientOptions>? configure = null,
        AndesModelOptions? modelOptions = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentNullException.ThrowIfNull(configureSkills);
        var skills = new AndesSkillsBuilder();
        configureSkills(skills);
        AndesChatClientOptions options = Configure(configure);
        services.AddKeyedSingleton(serviceId, (sp, _) => AndesModel.Load(modelDirectory, (modelOptions ?? new AndesModelOptions()).WithDefaultLoggerFactory(sp.GetService<ILoggerFactory>())));
        services.AddKeyedSingleton(serviceId, (_, _) => skills.BuildSkills(modelDirectory));
        services.AddKeyedSingleton(serviceId, (sp, key) => AndesSkillsBuilder.LoadAdapters(sp.GetRequiredKeyedService<AndesModel>(key), sp.GetRequiredKeyedService<SkillRegistry>(key)));
        return services.AddKernelChatClient(serviceId, sp =>
        {
            AndesChatClientOptions withRegistries = options.Clone();
            withRegistries.Skills = sp.GetRequiredKeyedService<SkillRegistry>(serviceId);
            withRegistries.Adapters = sp.GetRequiredKeyedService<AdapterRegistry>(serviceId);
            return new AndesChatClient(sp.GetRequiredKeyedService<AndesModel>(serviceId), withRegistries);
        });
    }

    /// <summary>Registers an already loaded Andes model as a Semantic Kernel chat service (the caller keeps ownership of the model).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="model">The model.</param>
    /// <param name="configure">Adjusts the chat client options.</param>
    /// <param name="serviceId">The service id (the DI key); null for the default service.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddAndesChatCompletion(
        this IServiceCollection services,
        AndesModel model,
        Action<AndesChatClientOptions>? configure = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(model);
        AndesChatClientOptions options = Configure(configure);
        return services.AddKernelChatClient(serviceId, sp =>
        {
            AndesChatClientOptions logged = options;
            if (options.LoggerFactory is null && model.Options.LoggerFactory is null && sp.GetService<ILoggerFactory>() is { } factory)
            {
                logged = options.Clone();
                logged.LoggerFactory = factory;
            }

            return new AndesChatClient(model, logged);
        });
    }

    /// <summary>
    /// Registers <paramref name="createClient"/>'s client behind the Semantic Kernel pipeline (kernel function
    /// invocation, option normalisation) as a keyed <see cref="IChatClient"/> and <see cref="IChatCompletionService"/>.
    /// </summary>
    internal static IServiceCollection AddKernelChatClient(this IServiceCollection services, string? serviceId, Func<IServiceProvider, IChatClient> createClient)
    {
        services.AddKeyedSingleton(serviceId, (provider, _) =>
        {
            IChatClient pipeline = BuildPipeline(createClient(provider), provider);
            return new KernelChatServices(pipeline, CreateChatCompletionService(pipeline, provider));
        });
        services.AddKeyedSingleton<IChatClient>(serviceId, (provider, key) => provider.GetRequiredKeyedService<KernelChatServices>(key).ChatClient);
        services.AddKeyedSingleton<IChatCompletionService>(serviceId, (provider, key) => provider.GetRequiredKeyedService<KernelChatServices>(key).ChatCompletionService);
        return services;
    }

#pragma warning disable SKEXP0001 // UseKernelFunctionInvocation and AsChatCompletionService are SK's IChatClient integration, marked experimental.
    private static IChatClient BuildPipeline(IChatClient client, IServiceProvider provider) =>
        client.AsBuilder()
            .UseKernelFunctionInvocation()
            .Use(inner => new AndesOptionsNormalizingChatClient(inner))
            .Build(provider);

    private static IChatCompletionService CreateChatCompletionService(IChatClient client, IServiceProvider provider) =>
        client.AsChatCompletionService(provider);
#pragma warning restore SKEXP0001

    private static AndesChatClientOptions Configure(Action<AndesChatClientOptions>? configure)
    {
        var options = new AndesChatClientOptions();
        configure?.Invoke(options);
        return options;
    }
}
