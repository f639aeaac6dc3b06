namespace Andes.Agents.Gui;

/// <summary>The kinds of action a model can ask for.</summary>
public enum GuiActionKind
{
    /// <summary><c>click</c> / <c>left_single</c>.</summary>
    Click,

    /// <summary><c>left_double</c> / <c>double_click</c>.</summary>
    DoubleClick,

    /// <summary><c>right_single</c> / <c>right_click</c>.</summary>
    RightClick,

    /// <summary><c>hover</c> / <c>move</c> / <c>mouse_move</c>.</summary>
    Move,

    /// <summary><c>drag</c> / <c>select</c>.</summary>
    Drag,

    /// <summary><c>type</c>.</summary>
    Type,

    /// <summary><c>hotkey</c> / <c>press</c> / <c>key</c>.</summary>
    Hotkey,

    /// <summary><c>scroll</c>.</summary>
    Scroll,

    /// <summary><c>wait</c>.</summary>
    Wait,

    /// <summary><c>finished</c> / <c>done</c>.</summary>
    Done,

    /// <summary><c>call_user</c>: the model hands control back to the user.</summary>
    CallUser,
}
