using System.Text;
using Andes.GenAI;
using Andes.Testing;

namespace Andes.GenAI.Tests.Tokenization;

public sealed class StreamingDetokenizerTests
{
    private static AndesTokenizer Tokenizer => TokenizerTestAssets.Tokenizer;

    [Fact]
    public void ConcatenatedOutputEqualsDecodeForEveryFixtureString()
    {
        foreach (bool skip in new[] { false, true })
        {
            StreamingDetokenizer detokenizer = Tokenizer.CreateStreamingDetokenizer(skip);
            foreach (HfCase c in TokenizerTestAssets.Fixture.Cases)
            {
                var text = new StringBuilder();
                foreach (int id in c.Ids)
                {
                    text.Append(detokenizer.Append(id));
                }

                text.Append(detokenizer.Flush());
                Assert.Equal(skip ? c.DecodedSkipSpecial : c.Decoded, text.ToString());
            }
        }
    }

    [Fact]
    public void CharactersSplitAcrossTokensAreEmittedOnlyWhenComplete()
    {
        int[] ids = Tokenizer.EncodeToIds("𝟏😀👨‍👩‍👧𝟗");
        Assert.True(ids.Length > 3);
        var detokenizer = new StreamingDetokenizer(Tokenizer);
        var pieces = new List<string>();
        foreach (int id in ids)
        {
            string piece = detokenizer.Append(id);
            Assert.DoesNotContain('\uFFFD', piece);
            if (piece.Length > 0)
            {
                Assert.False(char.IsHighSurrogate(piece[^1]), "a piece ends inside a surrogate pair");
                pieces.Add(piece);
            }
        }

        Assert.Equal(string.Empty, detokenizer.Flush());
        Assert.Equal("𝟏😀👨‍👩‍👧𝟗", string.Concat(pieces));

        // Decoding each id on its own would break the astral digits.
        Assert.Contains(ids, id => Tokenizer.Decode([id]).Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Fact]
    public void FlushTurnsADanglingPartialCharacterIntoReplacementAndResets()
    {
        int[] ids = Tokenizer.EncodeToIds("𝟏");
        Assert.Equal(3, ids.Length);
        var detokenizer = new StreamingDetokenizer(Tokenizer);
        Assert.Equal(string.Empty, detokenizer.Append(ids[0]));
        Assert.Equal("\uFFFD", detokenizer.Flush());
        Assert.Equal("a", detokenizer.Append(Tokenizer.EncodeToIds("a")[0]));
    }

    [Fact]
    public void SkipsOnlySpecialTokens()
    {
        var detokenizer = new StreamingDetokenizer(Tokenizer, skipSpecialTokens: true);
        Assert.Equal(string.Empty, detokenizer.Append(Tokenizer.EndOfTurnId));
        Assert.Equal("<think>", detokenizer.Append(Tokenizer.ThinkStartId));
        Assert.Equal(string.Empty, detokenizer.Append(151900));
        var keeping = new StreamingDetokenizer(Tokenizer);
        Assert.Equal("<|im_end|>", keeping.Append(Tokenizer.EndOfTurnId));
    }

    [Fact]
    public void SpanOverloadAllocatesNothing()
    {
        int[] ids = Tokenizer.EncodeToIds("Hello 世界 😀, streaming without allocations. 你好！");
        var detokenizer = new StreamingDetokenizer(Tokenizer);
        char[] buffer = new char[detokenizer.MaxCharsPerToken];
        var text = new StringBuilder(256);
        foreach (int id in ids)
        {
            text.Append(buffer, 0, detokenizer.Append(id, buffer));
        }

        AllocationAssert.NothingPerStep(
            () =>
            {
                text.Clear();
                foreach (int id in ids)
                {
                    text.Append(buffer, 0, detokenizer.Append(id, buffer));
                }

                text.Append(buffer, 0, detokenizer.Flush(buffer));
            },
            iterations: 1);
        Assert.Equal("Hello 世界 😀, streaming without allocations. 你好！", text.ToString());
    }

    [Fact]
    public void ShortDestinationIsRejected()
    {
        var detokenizer = new StreamingDetokenizer(Tokenizer);
        ArgumentException e = Assert.Throws<ArgumentException>(() => detokenizer.Append(0, new char[2]));
        Assert.Contains("destination", e.Message, StringComparison.Ordinal);
    }
}
