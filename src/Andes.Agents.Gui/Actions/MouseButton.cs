namespace Andes.Agents.Gui;

/// <summary>A mouse button.</summary>
public enum MouseButton
{
    /// <summary>The primary (left) button.</summary>
    Left,

    /// <summary>The secondary (right) button.</summary>
    Right,

    /// <summary>The middle button (wheel click).</summary>
    Middle,
}
