using Andes.Agents.Gui;
using Microsoft.SemanticKernel;

namespace Andes.SemanticKernel;

/// <summary>
/// The GUI agent's tools (<see cref="GuiAgentTools"/>: <c>locate</c>, <c>click</c>, <c>type_text</c>, <c>scroll</c>,
/// <c>screenshot</c>, <c>run_task</c>) as a Semantic Kernel plugin, named <c>gui</c> by default.
/// </summary>
/// <remarks>
/// Each <see cref="KernelFunction"/> wraps one of <see cref="GuiAgentTools.Functions"/>: the same names, descriptions,
/// parameters and JSON results, and the same safety policy, confirmation, dry run and kill switch, since the calls go
/// to that one <see cref="GuiAgentTools"/> instance.
/// </remarks>
public static class GuiAgentKernelPlugin
{
    /// <summary>The default plugin name.</summary>
    public const string DefaultName = "gui";

    /// <summary>Creates the plugin.</summary>
    /// <param name="tools">The tools (with their chat client, screen, executor and settings).</param>
    /// <param name="pluginName">The plugin's name.</param>
    /// <returns>The plugin.</returns>
    public static KernelPlugin Create(GuiAgentTools tools, string pluginName = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentException.ThrowIfNullOrEmpty(pluginName);
        return KernelPluginFactory.CreateFromFunctions(pluginName, tools.Functions.Select(f => f.AsKernelFunction()));
    }
}
