using Andes.GenAI;
namespace Andes.GenAI.Tests.Tokenization;

/// <summary>The hand-written regex emulation, piece by piece.</summary>
public sealed class ByteLevelPieceSplitterTests
{
    [Theory]
    [InlineData("Hello world", new[] { "Hello", " world" })]
    [InlineData("it's THEY'RE", new[] { "it", "'s", " THEY", "'RE" })]
    [InlineData("'sa", new[] { "'s", "a" })]
    [InlineData("a  b", new[] { "a", " ", " b" })]
    [InlineData("a   ", new[] { "a", "   " })]
    [InlineData("x \n y", new[] { "x", " \n", " y" })]
    [InlineData("a\r\n\r\nb", new[] { "a", "\r\n\r\n", "b" })]
    [InlineData("a \t\n  \n b", new[] { "a", " \t\n  \n", " b" })]
    [InlineData("x=1;\n", new[] { "x", "=", "1", ";\n" })]
    [InlineData(" ++i", new[] { " ++", "i" })]
    [InlineData("\tfoo", new[] { "\tfoo" })]
    [InlineData("\nfoo", new[] { "\n", "foo" })]
    [InlineData("2024", new[] { "2", "0", "2", "4" })]
    [InlineData("😀a", new[] { "😀a" })]
    [InlineData("!!!?", new[] { "!!!?" })]
    [InlineData("a 1", new[] { "a", " ", "1" })]
    [InlineData("\u017fs", new[] { "\u017fs" })]
    [InlineData("'\u017f", new[] { "'\u017f" })]
    public void Qwen2(string text, string[] expected) => Assert.Equal(expected, Split(text, ByteLevelSplitPattern.Qwen2));

    [Theory]
    [InlineData("Hello world", new[] { "Hello", " world" })]
    [InlineData("it's THEY'RE", new[] { "it", "'s", " THEY", "'", "RE" })]
    [InlineData("2024 12", new[] { "2024", " 12" })]
    [InlineData("a  b", new[] { "a", " ", " b" })]
    [InlineData("x\n\ny", new[] { "x", "\n", "\n", "y" })]
    [InlineData("x\n\n", new[] { "x", "\n\n" })]
    public void Gpt2(string text, string[] expected) => Assert.Equal(expected, Split(text, ByteLevelSplitPattern.Gpt2));

    private static string[] Split(string text, ByteLevelSplitPattern pattern)
    {
        var pieces = new List<string>();
        int position = 0;
        while (position < text.Length)
        {
            int end = ByteLevelPieceSplitter.NextPieceEnd(text, position, pattern);
            Assert.True(end > position);
            pieces.Add(text[position..end]);
            position = end;
        }

        return [.. pieces];
    }
}
