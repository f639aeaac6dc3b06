using System.Text;
using Andes.GenAI;
namespace Andes.GenAI.Tests.Tokenization;

public sealed class AndesTokenizerLoadErrorTests
{
    private const string MinimalModel = "\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1,\"ab\":2},\"merges\":[[\"a\",\"b\"]]}";
    private const string ByteLevelPreTokenizer = "\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"use_regex\":true}";

    [Fact]
    public void MissingFileThrowsFileNotFound()
        => Assert.Throws<FileNotFoundException>(() => AndesTokenizer.Create(Path.Combine(Path.GetTempPath(), $"no-such-andes-tokenizer-{Guid.NewGuid():N}.json")));

    [Fact]
    public void MalformedJsonNamesTheSource()
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Load("{\"model\": {"));
        Assert.Contains("tokenizer.json (stream)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedModelTypeIsNamed()
    {
        NotSupportedException e = Assert.Throws<NotSupportedException>(() => Load("{\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"a\":0}}}"));
        Assert.Contains("model.type is 'WordPiece'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedPreTokenizerIsNamed()
    {
        NotSupportedException e = Assert.Throws<NotSupportedException>(() => Load("{\"pre_tokenizer\":{\"type\":\"Whitespace\"}," + MinimalModel + "}"));
        Assert.Contains("pre_tokenizer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MergeOfUnknownTokenIsInvalidData()
    {
        string json = "{" + ByteLevelPreTokenizer + ",\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1},\"merges\":[\"a b\"]}}";
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Load(json));
        Assert.Contains("tokenizer.json (stream)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadVocabIdIsNamed()
    {
        string json = "{" + ByteLevelPreTokenizer + ",\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":\"zero\"},\"merges\":[]}}";
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Load(json));
        Assert.Contains("model.vocab['a']", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Issue 14: strings that are not valid Unicode and repeated tokens are InvalidDataException, not InvalidOperationException/ArgumentException.</summary>
    [Theory]
    [InlineData("\"vocab\":{\"a\\ud800\":0,\"b\":1,\"ab\":2}", "cannot be read")]
    [InlineData("\"vocab\":{\"a\":0,\"b\":1,\"ab\":2,\"a\":3}", "'a' is listed twice")]
    [InlineData("\"vocab\":{\"a\":0,\"b\":1,\"ab\":2},\"merges\":[\"a \\udc00\"]", "cannot be read")]
    public void UnreadableOrRepeatedVocabularyIsInvalidData(string model, string expected)
    {
        string modelJson = "\"model\":{\"type\":\"BPE\"," + model + (model.Contains("merges", StringComparison.Ordinal) ? "}" : ",\"merges\":[[\"a\",\"b\"]]}");
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Load("{" + ByteLevelPreTokenizer + "," + modelJson + "}"));
        Assert.Contains("tokenizer.json (stream)", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LStripAddedTokenIsNotSupported()
    {
        string json = "{\"added_tokens\":[{\"id\":3,\"content\":\"<x>\",\"lstrip\":true,\"special\":true}]," + ByteLevelPreTokenizer + "," + MinimalModel + "}";
        NotSupportedException e = Assert.Throws<NotSupportedException>(() => Load(json));
        Assert.Contains("<x>", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadMergesLineIsNamed()
    {
        using var vocab = new MemoryStream("{\"a\":0,\"b\":1,\"ab\":2}"u8.ToArray());
        using var merges = new MemoryStream("#version: 0.2\na b c\n"u8.ToArray());
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => AndesTokenizer.Create(vocab, merges));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MinimalGpt2TokenizerJsonLoads()
    {
        AndesTokenizer t = Load("{" + ByteLevelPreTokenizer + "," + MinimalModel + "}");
        Assert.Equal(ByteLevelSplitPattern.Gpt2, t.SplitPattern);
        Assert.False(t.NormalizesNfc);
        Assert.Equal([2], t.EncodeToIds("ab"));
        Assert.Equal(-1, t.EndOfTurnId);
    }

    private static AndesTokenizer Load(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return AndesTokenizer.Create(stream);
    }
}
