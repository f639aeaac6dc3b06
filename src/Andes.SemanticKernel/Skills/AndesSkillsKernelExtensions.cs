using Andes.SemanticKernel;
using Andes.GenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.SemanticKernel;

/// <summary>Adds the <see cref="AndesSkillsPlugin"/> to a kernel or kernel builder.</summary>
public static class AndesSkillsKernelExtensions
{
    /// <summary>Adds the skills plugin to a kernel's plugins.</summary>
    /// <param name="plugins">The kernel's plugin collection.</param>
    /// <param name="chatClient">The client that runs the skills.</param>
    /// <param name="skills">The skills; null: the client's.</param>
    /// <param name="pluginName">The plugin's name.</param>
    /// <returns>The added plugin.</returns>
    public static KernelPlugin AddAndesSkills(this ICollection<KernelPlugin> plugins, IChatClient chatClient, SkillRegistry? skills = null, string pluginName = AndesSkillsPlugin.DefaultName)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        KernelPlugin plugin = AndesSkillsPlugin.Create(chatClient, skills, pluginName);
        plugins.Add(plugin);
        return plugin;
    }

    /// <summary>Adds the skills plugin to a kernel builder's plugins.</summary>
    /// <param name="plugins">The builder's plugins.</param>
    /// <param name="chatClient">The client that runs the skills.</param>
    /// <param name="skills">The skills; null: the client's.</param>
    /// <param name="pluginName">The plugin's name.</param>
    /// <returns><paramref name="plugins"/>.</returns>
    public static IKernelBuilderPlugins AddAndesSkills(this IKernelBuilderPlugins plugins, IChatClient chatClient, SkillRegistry? skills = null, string pluginName = AndesSkillsPlugin.DefaultName)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        plugins.Services.AddSingleton(AndesSkillsPlugin.Create(chatClient, skills, pluginName));
        return plugins;
    }

    /// <summary>
    /// Adds the skills plugin of the Andes chat service registered in the container under <paramref name="serviceId"/>
    /// (e.g. by <c>AddAndesChatClient(folder, skills => ...)</c>): the plugin is created when the kernel is, over that
    /// service's <see cref="IChatClient"/> and its skills.
    /// </summary>
    /// <param name="plugins">The builder's plugins.</param>
    /// <param name="serviceId">The chat service's id; null for the default service.</param>
    /// <param name="pluginName">The plugin's name.</param>
    /// <returns><paramref name="plugins"/>.</returns>
    public static IKernelBuilderPlugins AddAndesSkillsFromServices(this IKernelBuilderPlugins plugins, string? serviceId = null, string pluginName = AndesSkillsPlugin.DefaultName)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        plugins.Services.AddSingleton(sp => AndesSkillsPlugin.Create(sp.GetRequiredKeyedService<IChatClient>(serviceId), null, pluginName));
        return plugins;
    }
}
