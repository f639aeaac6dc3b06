using Andes.SemanticKernel;
using Andes.Agents.Gui;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.SemanticKernel;

/// <summary>Adds the <see cref="GuiAgentKernelPlugin"/> to a kernel or kernel builder.</summary>
public static class GuiAgentKernelExtensions
{
    /// <summary>Adds the GUI agent's tools to a kernel's plugins.</summary>
    /// <param name="plugins">The kernel's plugin collection.</param>
    /// <param name="tools">The tools.</param>
    /// <param name="pluginName">The plugin's name.</param>
    /// <returns>The added plugin.</returns>
    public static KernelPlugin AddGuiAgent(this ICollection<KernelPlugin> plugins, GuiAgentTools tools, string pluginName = GuiAgentKernelPlugin.DefaultName)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        KernelPlugin plugin = GuiAgentKernelPlugin.Create(tools, pluginName);
        plugins.Add(plugin);
        return plugin;
    }

    /// <summary>Adds the GUI agent's tools to a kernel builder's plugins.</summary>
    /// <param name="plugins">The builder's plugins.</param>
    /// <param name="tools">The tools.</param>
    /// <param name="pluginName">The plugin's name.</param>
    /// <returns><paramref name="plugins"/>.</returns>
    public static IKernelBuilderPlugins AddGuiAgent(this IKernelBuilderPlugins plugins, GuiAgentTools tools, string pluginName = GuiAgentKernelPlugin.DefaultName)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        plugins.Services.AddSingleton(GuiAgentKernelPlugin.Create(tools, pluginName));
        return plugins;
    }
}
