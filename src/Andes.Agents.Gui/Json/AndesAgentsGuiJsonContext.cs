using System.Text.Json.Serialization;

namespace Andes.Agents.Gui;

/// <summary>
/// Source-generated JSON contracts for what this package writes and reads (no reflection, so the package is
/// trimming- and native-AOT-safe): trajectory files (<see cref="TrajectoryStep"/> lines and the <see cref="TrajectoryRun"/>
/// summary) and the GUI tools' JSON results.
/// </summary>
/// <remarks>
/// The context carries no settings of its own; each format keeps its own <see cref="System.Text.Json.JsonSerializerOptions"/>
/// in a context instance made with them (see <see cref="TrajectoryJson"/>).
/// </remarks>
[JsonSerializable(typeof(TrajectoryStep))]
[JsonSerializable(typeof(TrajectoryRun))]
[JsonSerializable(typeof(GuiToolError))]
[JsonSerializable(typeof(GuiToolLocated))]
[JsonSerializable(typeof(GuiToolActionResult))]
[JsonSerializable(typeof(GuiToolScreenshot))]
[JsonSerializable(typeof(GuiToolTaskResult))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int[]))]
internal sealed partial class AndesAgentsGuiJsonContext : JsonSerializerContext;
