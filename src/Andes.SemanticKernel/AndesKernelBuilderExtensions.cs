using Andes.SemanticKernel;
using Andes.GenAI;

namespace Microsoft.SemanticKernel;

/// <summary>Adds Andes models to a Semantic Kernel <see cref="IKernelBuilder"/>.</summary>
/// <remarks>See <see cref="AndesKernelServiceCollectionExtensions"/> for what is registered and how tools, filters and settings behave.</remarks>
public static class AndesKernelBuilderExtensions
{
    /// <summary>
    /// Adds an Andes model folder as the kernel's chat service: an <c>IChatClient</c> and an <c>IChatCompletionService</c>,
    /// with <c>[KernelFunction]</c> plugins callable as tools and auto function invocation filters honoured.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelDirectory">The model folder (loaded on first use).</param>
    /// <param name="configure">Adjusts the chat client options.</param>
    /// <param name="modelOptions">Session options; null for the folder's.</param>
    /// <param name="serviceId">The service id; null for the default service.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddAndesChatClient(
        this IKernelBuilder builder,
        string modelDirectory,
        Action<AndesChatClientOptions>? configure = null,
        AndesModelOptions? modelOptions = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAndesChatCompletion(modelDirectory, configure, modelOptions, serviceId);
        return builder;
    }

    /// <summary>
    /// Adds an Andes model folder as the kernel's chat service with LoRA adapters and skills registered in code (see
    /// <see cref="AndesKernelServiceCollectionExtensions.AddAndesChatCompletion(Microsoft.Extensions.DependencyInjection.IServiceCollection, string, Action{AndesSkillsBuilder}, Action{AndesChatClientOptions}?, AndesModelOptions?, string?)"/>);
    /// add <c>builder.Plugins.AddAndesSkillsFromServices(serviceId)</c> to offer the skills as kernel functions.
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelDirectory">The model folder (loaded on first use).</param>
    /// <param name="configureSkills">Registers adapters, skills and <c>skills.json</c> files.</param>
    /// <param name="configure">Adjusts the chat client options.</param>
    /// <param name="modelOptions">Session options; null for the folder's.</param>
    /// <param name="serviceId">The service id; null for the default service.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddAndesChatClient(
        this IKernelBuilder builder,
        string modelDirectory,
        Action<AndesSkillsBuilder> configureSkills,
        Action<AndesChatClientOptions>? configure = null,
        AndesModelOptions? modelOptions = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAndesChatCompletion(modelDirectory, configureSkills, configure, modelOptions, serviceId);
        return builder;
    }

    /// <summary>Adds an already loaded Andes model as the kernel's chat service (the caller keeps ownership of the model).</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="model">The model.</param>
    /// <param name="configure">Adjusts the chat client options.</param>
    /// <param name="serviceId">The service id; null for the default service.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IKernelBuilder AddAndesChatClient(
        this IKernelBuilder builder,
        AndesModel model,
        Action<AndesChatClientOptions>? configure = null,
        string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAndesChatCompletion(model, configure, serviceId);
        return builder;
    }
}
