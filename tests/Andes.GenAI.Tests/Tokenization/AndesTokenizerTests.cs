using System.Text;
using Andes.GenAI;
using Microsoft.ML.Tokenizers;

namespace Andes.GenAI.Tests.Tokenization;

public sealed class AndesTokenizerTests
{
    private static AndesTokenizer Tokenizer => TokenizerTestAssets.Tokenizer;

    [Fact]
    public void SpecialTokenIdsAreAndesVLs()
    {
        AndesTokenizer t = Tokenizer;
        Assert.Equal(151643, t.EndOfTextId);
        Assert.Equal(151644, t.StartOfTurnId);
        Assert.Equal(151645, t.EndOfTurnId);
        Assert.Equal(151652, t.ImageStartId);
        Assert.Equal(151653, t.ImageEndId);
        Assert.Equal(151654, t.ImagePadId);
        Assert.Equal(151657, t.ToolCallStartId);
        Assert.Equal(151658, t.ToolCallEndId);
        Assert.Equal(151667, t.ThinkStartId);
        Assert.Equal(151668, t.ThinkEndId);
        Assert.Equal(151669, t.VocabularySize);
        Assert.Equal(26, t.AddedTokens.Count);
        Assert.Equal(ByteLevelSplitPattern.Qwen2, t.SplitPattern);
        Assert.True(t.NormalizesNfc);
        Assert.IsType<BpeTokenizer>(t.Tokenizer);
        Assert.Null(t.TokenToId("<|vision_start|>"));
    }

    [Fact]
    public void TokenToIdAndIdToTokenCoverVocabularyAndAddedTokens()
    {
        AndesTokenizer t = Tokenizer;
        Assert.Equal(0, t.TokenToId("!"));
        Assert.Equal("!", t.IdToToken(0));
        Assert.Equal(220, t.TokenToId("Ġ"));
        Assert.Equal(151645, t.TokenToId("<|im_end|>"));
        Assert.Equal("<img>", t.IdToToken(151652));
        Assert.Equal("</think>", t.IdToToken(151668));
        Assert.Null(t.IdToToken(151669));
        Assert.Null(t.IdToToken(151935));
        Assert.Null(t.IdToToken(-1));
        Assert.Null(t.TokenToId("no such token"));
        int? hello = t.TokenToId("Ġhello");
        Assert.NotNull(hello);
        Assert.Equal([hello.Value], t.EncodeToIds(" hello"));
    }

    [Fact]
    public void ChatPromptEncodesTurnMarkersAndImagePadsAsSingleIds()
    {
        AndesTokenizer t = Tokenizer;
        string prompt = "<|im_start|>user\n<img><|vision_pad|><|vision_pad|></img>Describe.<|im_end|>\n<|im_start|>assistant\n";
        int[] ids = t.EncodeToIds(prompt);
        Assert.Equal(t.StartOfTurnId, ids[0]);
        Assert.Equal(2, ids.Count(id => id == t.ImagePadId));
        int start = Array.IndexOf(ids, t.ImageStartId);
        Assert.Equal([t.ImageStartId, t.ImagePadId, t.ImagePadId, t.ImageEndId], ids[start..(start + 4)]);
        Assert.Contains(t.EndOfTurnId, ids);
        Assert.Equal(prompt, t.Decode(ids));
    }

    [Fact]
    public void DigitsAreSplitOneByOne()
    {
        int[] ids = Tokenizer.EncodeToIds("12345");
        Assert.Equal(5, ids.Length);
        Assert.Equal("12345", Tokenizer.Decode(ids));
    }

    [Fact]
    public void SkipSpecialTokensKeepsNonSpecialAddedTokensLikeHuggingFace()
    {
        AndesTokenizer t = Tokenizer;
        int[] ids = t.EncodeToIds("<|im_start|>assistant\n<think>\nhm\n</think>\n\n<tool_call>\n{}\n</tool_call><|im_end|><|endoftext|>");
        Assert.Equal("assistant\n<think>\nhm\n</think>\n\n<tool_call>\n{}\n</tool_call>", t.Decode(ids, skipSpecialTokens: true));
        Assert.True(t.IsSpecialToken(t.EndOfTurnId));
        Assert.True(t.IsSpecialToken(t.ImagePadId));
        Assert.False(t.IsSpecialToken(t.ThinkStartId));
        Assert.False(t.IsSpecialToken(t.ToolCallStartId));
        Assert.False(t.IsSpecialToken(0));
    }

    [Fact]
    public void DecodeIgnoresIdsWithoutATokenAndReplacesBrokenUtf8()
    {
        AndesTokenizer t = Tokenizer;
        int[] ids = t.EncodeToIds("a😀b");
        Assert.Equal("a😀b", t.Decode([.. ids, 151700, 151935]));

        // 𝟏's four bytes are split over three tokens: dropping one leaves an invalid sequence, decoded as U+FFFD.
        int[] digit = t.EncodeToIds("𝟏");
        Assert.Equal(3, digit.Length);
        Assert.Contains('\uFFFD', t.Decode(digit.AsSpan(0, digit.Length - 1)));
        Assert.Equal(string.Empty, t.Decode([]));
    }

    [Fact]
    public void TokenBytesAreTheDecodedUtf8()
    {
        AndesTokenizer t = Tokenizer;
        Assert.Equal(" hello"u8.ToArray(), t.GetTokenBytes(t.TokenToId("Ġhello")!.Value).ToArray());
        Assert.Equal("<|im_end|>"u8.ToArray(), t.GetTokenBytes(t.EndOfTurnId).ToArray());
        Assert.True(t.GetTokenBytes(151700).IsEmpty);
        Assert.True(t.MaxTokenByteCount >= 16);
    }

    [Fact]
    public void ThinkAfterGreaterThanAndCombiningSolidusStaysOneToken()
    {
        // NFC over the whole string would compose '>' + U+0338 into U+226F and break <think>.
        int[] ids = Tokenizer.EncodeToIds("<think>>\u0338</think>");
        Assert.Equal(Tokenizer.ThinkStartId, ids[0]);
        Assert.Equal(Tokenizer.ThinkEndId, ids[^1]);
    }

    [Fact]
    public void AstralLettersAndDigitsAreLettersAndDigits()
    {
        // 𝐀𝐁 is one letter run (one piece); 𝟏𝟐 are two digits (two pieces).
        var pre = (AddedTokenAwarePreTokenizer)Tokenizer.Tokenizer.PreTokenizer!;
        Assert.Equal([(0, 4)], pre.Split("𝐀𝐁"));
        Assert.Equal([(0, 2), (2, 2)], pre.Split("𝟏𝟐"));
        Assert.Equal([(0, 4)], pre.Split("a𠮷b"));
        Assert.Equal([(0, 3)], pre.Split(" 𝐀"));
    }

    [Fact]
    public void VocabAndMergesFilesGiveTheSameIdsAsTokenizerJson()
    {
        string checkpoint = TokenizerTestAssets.CheckpointDirectory;
        var options = new AndesTokenizerOptions { AddedTokens = [.. Tokenizer.AddedTokens] };
        AndesTokenizer fromFiles = AndesTokenizer.Create(Path.Combine(checkpoint, "vocab.json"), Path.Combine(checkpoint, "merges.txt"), options);
        Assert.Equal(Tokenizer.VocabularySize, fromFiles.VocabularySize);
        foreach (HfCase c in TokenizerTestAssets.Fixture.Cases.Take(400))
        {
            Assert.Equal(c.Ids, fromFiles.EncodeToIds(c.Text));
        }
    }

    [Fact]
    public void StreamOverloadLoadsTheSameTokenizer()
    {
        using FileStream stream = File.OpenRead(TokenizerTestAssets.TokenizerJsonPath);
        AndesTokenizer t = AndesTokenizer.Create(stream);
        HfCase c = TokenizerTestAssets.Fixture.Cases[10];
        Assert.Equal(c.Ids, t.EncodeToIds(c.Text));
    }

    [Fact]
    public void ConcurrentEncodingGivesTheSameIds()
    {
        List<HfCase> cases = TokenizerTestAssets.Fixture.Cases;
        var failures = 0;
        Parallel.For(0, cases.Count * 2, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            HfCase c = cases[i % cases.Count];
            if (!Tokenizer.EncodeToIds(c.Text).AsSpan().SequenceEqual(c.Ids) || Tokenizer.Decode(c.Ids) != c.Decoded)
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }

    [Fact]
    public void Gpt2PatternSplitsLikeGpt2()
    {
        // A tiny GPT-2-style vocabulary: all 256 byte characters plus two merges.
        string dir = Directory.CreateTempSubdirectory("andes-gpt2-").FullName;
        try
        {
            var vocab = new StringBuilder("{");
            char[] alphabet = ByteLevelAlphabet.ByteToChar;
            for (int b = 0; b < 256; b++)
            {
                vocab.Append(System.Text.Json.JsonSerializer.Serialize(alphabet[b].ToString())).Append(':').Append(b).Append(',');
            }

            vocab.Append("\"Ġh\":256,\"Ġhi\":257}");
            File.WriteAllText(Path.Combine(dir, "vocab.json"), vocab.ToString());
            File.WriteAllText(Path.Combine(dir, "merges.txt"), "#version: 0.2\nĠ h\nĠh i\n");
            AndesTokenizer gpt2 = AndesTokenizer.Create(
                Path.Combine(dir, "vocab.json"),
                Path.Combine(dir, "merges.txt"),
                new AndesTokenizerOptions { SplitPattern = ByteLevelSplitPattern.Gpt2, NormalizeNfc = false, AddedTokens = [new AddedToken(258, "<|endoftext|>", special: true)] });

            // " hix" is one piece (GPT-2: ' ?\p{L}+'): Ġ+h, then Ġh+i, then x alone (id = byte value here).
            Assert.Equal(new[] { 257, (int)'x' }, gpt2.EncodeToIds(" hix"));
            Assert.Equal([257, 258], gpt2.EncodeToIds(" hi<|endoftext|>"));
            Assert.Equal(" hi", gpt2.Decode([257, 258], skipSpecialTokens: true));
            var pre = (AddedTokenAwarePreTokenizer)gpt2.Tokenizer.PreTokenizer!;
            Assert.Equal([(0, 3), (3, 3), (6, 2)], pre.Split(" 12 ab!?"));
            Assert.Equal(259, gpt2.VocabularySize);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
