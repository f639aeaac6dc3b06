using System.Text.Json.Serialization;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// An executable GUI action in virtual-desktop coordinates. Model answers become actions only through
/// <see cref="ModelAction.Resolve"/>, which maps and range-checks their coordinates; executors take only these.
/// </summary>
/// <remarks>Immutable records; serialised polymorphically with a <c>"type"</c> discriminator (trajectories).</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ClickAction), "click")]
[JsonDerivedType(typeof(DoubleClickAction), "double_click")]
[JsonDerivedType(typeof(RightClickAction), "right_click")]
[JsonDerivedType(typeof(MoveAction), "move")]
[JsonDerivedType(typeof(DragAction), "drag")]
[JsonDerivedType(typeof(TypeTextAction), "type")]
[JsonDerivedType(typeof(HotkeyAction), "hotkey")]
[JsonDerivedType(typeof(ScrollAction), "scroll")]
[JsonDerivedType(typeof(WaitAction), "wait")]
[JsonDerivedType(typeof(DoneAction), "done")]
public abstract record GuiAction
{
    /// <summary>The desktop box the model pointed at, when known (for the safety policy and trajectories).</summary>
    public ScreenBox? TargetBox { get; init; }

    /// <summary>Every desktop position the pointer will visit (empty for keyboard-only actions).</summary>
    /// <returns>The positions.</returns>
    public virtual IEnumerable<ScreenPoint> GetPointerPositions() => [];

    /// <summary>A short human-readable description, e.g. <c>click screen(10, 20)</c>.</summary>
    /// <returns>The description.</returns>
    public abstract string Describe();
}
