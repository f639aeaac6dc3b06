using System.Text;

namespace Andes.Agents.Gui;

/// <summary>
/// Platform input injection at the level of single events (one pointer move, one button or key transition).
/// <see cref="InputActionExecutor"/> composes actions from these and checks the kill switch before each one.
/// </summary>
/// <remarks>Implementations need not be thread-safe: the executor calls them from one action at a time.</remarks>
public interface IInputDevice : IDisposable
{
    /// <summary>Moves the pointer to a desktop pixel (absolute, virtual-desktop coordinates).</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    void MovePointer(int x, int y);

    /// <summary>Presses a mouse button.</summary>
    /// <param name="button">The button.</param>
    void PressButton(MouseButton button);

    /// <summary>Releases a mouse button.</summary>
    /// <param name="button">The button.</param>
    void ReleaseButton(MouseButton button);

    /// <summary>Turns the wheel by one notch.</summary>
    /// <param name="direction">Which way.</param>
    void ScrollNotch(ScrollDirection direction);

    /// <summary>Presses a key (hotkeys).</summary>
    /// <param name="key">The key.</param>
    void PressKey(Key key);

    /// <summary>Releases a key pressed by <see cref="PressKey"/>.</summary>
    /// <param name="key">The key.</param>
    void ReleaseKey(Key key);

    /// <summary>Types one character as text, independently of the keyboard layout where the platform allows.</summary>
    /// <param name="character">The character ('\n' = Enter, '\t' = Tab).</param>
    void TypeCharacter(Rune character);

    /// <summary>Sends any buffered events to the system.</summary>
    void Flush();
}
