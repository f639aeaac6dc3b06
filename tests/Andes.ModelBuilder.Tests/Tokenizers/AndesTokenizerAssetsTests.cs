using System.Text;
using System.Text.Json;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder.Tests.Tokenizers;

public sealed class AndesTokenizerAssetsTests
{
    [Fact]
    public void WritesTheSixCheckpointFiles()
    {
        string dir = Directory.CreateTempSubdirectory("andes-assets-").FullName;
        try
        {
            AndesTokenizerAssets.WriteCheckpointFiles(dir);
            Assert.Equal(
                AndesTokenizerAssets.FileNames.Order(StringComparer.Ordinal),
                Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.StartsWith("#version: 0.2\nĠ Ġ\n", File.ReadAllText(Path.Combine(dir, "merges.txt")), StringComparison.Ordinal);
            Assert.Equal(151388, File.ReadAllLines(Path.Combine(dir, "merges.txt")).Length);

            using JsonDocument vocab = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "vocab.json")));
            Assert.Equal(151643, vocab.RootElement.EnumerateObject().Count());
            Assert.Equal(0, vocab.RootElement.GetProperty("!").GetInt32());

            using JsonDocument generation = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "generation_config.json")));
            Assert.Equal([151645, 151643], generation.RootElement.GetProperty("eos_token_id").EnumerateArray().Select(e => e.GetInt32()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TokenizerConfigHasAndesVLsAddedTokensAndChatTemplate()
    {
        using JsonDocument config = JsonDocument.Parse(AndesTokenizerAssets.ReadFile("tokenizer_config.json"));
        JsonElement decoder = config.RootElement.GetProperty("added_tokens_decoder");
        Assert.Equal(26, decoder.EnumerateObject().Count());
        Assert.Equal("<img>", decoder.GetProperty("151652").GetProperty("content").GetString());
        Assert.Equal("</img>", decoder.GetProperty("151653").GetProperty("content").GetString());
        Assert.False(decoder.GetProperty("151667").GetProperty("special").GetBoolean());
        Assert.Equal("Qwen2Tokenizer", config.RootElement.GetProperty("tokenizer_class").GetString());
        Assert.Contains("<|im_start|>", config.RootElement.GetProperty("chat_template").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFileNameIsRejected()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => AndesTokenizerAssets.OpenFile("tokenizer.json"));
        Assert.Contains("vocab.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PreprocessorConfigIsAndesVLs()
    {
        string text = Encoding.UTF8.GetString(AndesTokenizerAssets.ReadFile("preprocessor_config.json"));
        using JsonDocument config = JsonDocument.Parse(text);
        Assert.Equal(14, config.RootElement.GetProperty("patch_size").GetInt32());
        Assert.Equal(2408448, config.RootElement.GetProperty("max_pixels").GetInt32());
    }
}
