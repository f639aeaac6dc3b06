using System.Text;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Tests.TestSupport;

/// <summary>An input device that records every event as a string.</summary>
internal sealed class RecordingInputDevice : IInputDevice
{
    public List<string> Events { get; } = [];

    public Action<string>? OnEvent { get; set; }

    public void MovePointer(int x, int y) => Add($"move {x},{y}");

    public void PressButton(MouseButton button) => Add($"down {button}");

    public void ReleaseButton(MouseButton button) => Add($"up {button}");

    public void ScrollNotch(ScrollDirection direction) => Add($"wheel {direction}");

    public void PressKey(Key key) => Add($"keydown {key}");

    public void ReleaseKey(Key key) => Add($"keyup {key}");

    public void TypeCharacter(Rune character) => Add($"char {character}");

    public void Flush()
    {
    }

    public void Dispose()
    {
    }

    private void Add(string e)
    {
        Events.Add(e);
        OnEvent?.Invoke(e);
    }
}
