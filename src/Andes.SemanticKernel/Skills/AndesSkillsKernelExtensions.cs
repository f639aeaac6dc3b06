using Andes.GenAI.Skills;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace Andes.SemanticKernel.Skills;

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
}
