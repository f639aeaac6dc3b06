using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Tests.Actions;

public sealed class KeyChordTests
{
    [Theory]
    [InlineData("ctrl c", "ctrl+c")]
    [InlineData("Ctrl+Shift+T", "ctrl+shift+t")]
    [InlineData("control+alt+delete", "ctrl+alt+delete")]
    [InlineData("ctrl++", "ctrl++")]
    [InlineData("+", "+")]
    [InlineData("cmd space", "meta+space")]
    [InlineData("Enter", "enter")]
    [InlineData("alt f4", "alt+f4")]
    [InlineData("pgdn", "pagedown")]
    public void ParsesAndPrints(string text, string expected)
    {
        KeyChord chord = KeyChord.Parse(text);
        Assert.Equal(expected, chord.ToString());
        Assert.Equal(chord, KeyChord.Parse(chord.ToString()));
    }

    [Fact]
    public void ModifiersAreKnown()
    {
        KeyChord chord = KeyChord.Parse("ctrl shift a");
        Assert.True(chord.Keys[0].IsModifier);
        Assert.True(chord.Keys[1].IsModifier);
        Assert.False(chord.Keys[2].IsModifier);
        Assert.Equal('a', chord.Keys[2].Character);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ctrl banana")]
    [InlineData("hyper+x")]
    public void BadChordsThrow(string text) => Assert.Throws<FormatException>(() => KeyChord.Parse(text));
}
