namespace Andes.Agents.Gui;

/// <summary>Non-character keys (modifiers, navigation, editing, function keys).</summary>
public enum SpecialKey
{
    /// <summary>Not a special key (the key is a character).</summary>
    None = 0,

    /// <summary>Enter / Return.</summary>
    Enter,

    /// <summary>Tab.</summary>
    Tab,

    /// <summary>Escape.</summary>
    Escape,

    /// <summary>Backspace.</summary>
    Backspace,

    /// <summary>Delete (forward delete).</summary>
    Delete,

    /// <summary>Insert.</summary>
    Insert,

    /// <summary>Home.</summary>
    Home,

    /// <summary>End.</summary>
    End,

    /// <summary>Page Up.</summary>
    PageUp,

    /// <summary>Page Down.</summary>
    PageDown,

    /// <summary>Left arrow.</summary>
    Left,

    /// <summary>Up arrow.</summary>
    Up,

    /// <summary>Right arrow.</summary>
    Right,

    /// <summary>Down arrow.</summary>
    Down,

    /// <summary>Space bar.</summary>
    Space,

    /// <summary>Control (modifier).</summary>
    Control,

    /// <summary>Shift (modifier).</summary>
    Shift,

    /// <summary>Alt / Option (modifier).</summary>
    Alt,

    /// <summary>Windows / Super / Command (modifier).</summary>
    Meta,

    /// <summary>Caps Lock.</summary>
    CapsLock,

    /// <summary>Print Screen.</summary>
    PrintScreen,

    /// <summary>The context-menu key.</summary>
    Menu,

    /// <summary>F1.</summary>
    F1,

    /// <summary>F2.</summary>
    F2,

    /// <summary>F3.</summary>
    F3,

    /// <summary>F4.</summary>
    F4,

    /// <summary>F5.</summary>
    F5,

    /// <summary>F6.</summary>
    F6,

    /// <summary>F7.</summary>
    F7,

    /// <summary>F8.</summary>
    F8,

    /// <summary>F9.</summary>
    F9,

    /// <summary>F10.</summary>
    F10,

    /// <summary>F11.</summary>
    F11,

    /// <summary>F12.</summary>
    F12,
}
