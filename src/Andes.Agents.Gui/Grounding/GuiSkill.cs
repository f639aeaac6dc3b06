namespace Andes.Agents.Gui;

/// <summary>
/// The LoRA skill the GUI agent asks for (AndesVL's "1+N LoRA") without depending on the engine: requests carry it with
/// the shared <see cref="AndesChatOptionsExtensions.WithSkill"/> convention. A client that knows skills activates the
/// adapter registered under that name; one that does not (or has no such skill) ignores it and answers with the base
/// model.
/// </summary>
public static class GuiSkill
{
    /// <summary>The skill name the GUI agent uses by default: <c>gui</c>.</summary>
    public const string DefaultName = "gui";
}
