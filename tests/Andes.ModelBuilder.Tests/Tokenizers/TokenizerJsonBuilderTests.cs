using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder.Tests.Tokenizers;

public sealed class TokenizerJsonBuilderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("andes-tokenizer-builder-").FullName;

    private string Checkpoint => Path.Combine(_root, "checkpoint");

    private string Model => Path.Combine(_root, "model");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>
    /// The tokenizer.json built from the checkpoint files equals, component by component, Qwen3's npm tokenizer.json
    /// with ids 151652/151653 renamed (digests written by tools/tokenizer/derive-assets.mjs).
    /// </summary>
    [Fact]
    public void BuiltTokenizerJsonIsSemanticallyTheRenamedReference()
    {
        AndesTokenizerAssets.WriteCheckpointFiles(Checkpoint);
        TokenizerJsonBuilder.WriteModelFolderFiles(Checkpoint, Model);

        JsonNode reference = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Tokenizers", "Fixtures", "reference-tokenizer-digest.json")))!;
        using JsonDocument built = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Model, "tokenizer.json")));
        JsonElement root = built.RootElement;
        JsonElement model = root.GetProperty("model");

        var vocab = model.GetProperty("vocab").EnumerateObject().Select(p => (Token: p.Name, Id: p.Value.GetInt32())).OrderBy(e => e.Id).ToList();
        Assert.Equal(reference["vocab_count"]!.GetValue<int>(), vocab.Count);
        Assert.Equal(reference["vocab_sha256"]!.GetValue<string>(), Sha256(vocab.Select(e => $"{e.Id}\t{e.Token}\n")));

        var merges = model.GetProperty("merges").EnumerateArray().Select(m => $"{m[0].GetString()} {m[1].GetString()}").ToList();
        Assert.Equal(reference["merges_count"]!.GetValue<int>(), merges.Count);
        Assert.Equal(reference["merges_sha256"]!.GetValue<string>(), Sha256(merges.Select(m => m + "\n")));

        JsonNode addedTokens = JsonNode.Parse(root.GetProperty("added_tokens").GetRawText())!;
        Assert.True(JsonNode.DeepEquals(Normalize(reference["added_tokens"]!), Normalize(addedTokens)), addedTokens.ToJsonString());
        foreach (string component in new[] { "normalizer", "pre_tokenizer", "decoder" })
        {
            Assert.True(JsonNode.DeepEquals(reference[component], JsonNode.Parse(root.GetProperty(component).GetRawText())), component);
        }

        JsonObject modelFields = JsonNode.Parse(model.GetRawText())!.AsObject();
        modelFields.Remove("vocab");
        modelFields.Remove("merges");
        Assert.True(JsonNode.DeepEquals(reference["model"], modelFields), modelFields.ToJsonString());

        Assert.Equal(File.ReadAllBytes(Path.Combine(Checkpoint, "tokenizer_config.json")), File.ReadAllBytes(Path.Combine(Model, "tokenizer_config.json")));
    }

    [Fact]
    public void ExistingTokenizerJsonWithQwenVisionNamesIsRenamed()
    {
        AndesTokenizerAssets.WriteCheckpointFiles(Checkpoint);
        TokenizerJsonBuilder.WriteTokenizerJson(Checkpoint, Path.Combine(_root, "andes.json"));
        JsonNode qwen = JsonNode.Parse(File.ReadAllBytes(Path.Combine(_root, "andes.json")))!;
        SetAddedToken(qwen, 151652, "<|vision_start|>");
        SetAddedToken(qwen, 151653, "<|vision_end|>");
        File.WriteAllText(Path.Combine(Checkpoint, "tokenizer.json"), qwen.ToJsonString());
        JsonNode config = JsonNode.Parse(File.ReadAllBytes(Path.Combine(Checkpoint, "tokenizer_config.json")))!;
        config["added_tokens_decoder"]!["151652"]!["content"] = "<|vision_start|>";
        config["additional_special_tokens"]!.AsArray()[8] = "<|vision_start|>";
        File.WriteAllText(Path.Combine(Checkpoint, "tokenizer_config.json"), config.ToJsonString());

        TokenizerJsonBuilder.WriteModelFolderFiles(Checkpoint, Model);

        JsonNode written = JsonNode.Parse(File.ReadAllBytes(Path.Combine(Model, "tokenizer.json")))!;
        Assert.Equal("<img>", AddedTokenContent(written, 151652));
        Assert.Equal("</img>", AddedTokenContent(written, 151653));
        Assert.Equal(AddedTokenContent(qwen, 151654), AddedTokenContent(written, 151654));
        JsonNode writtenConfig = JsonNode.Parse(File.ReadAllBytes(Path.Combine(Model, "tokenizer_config.json")))!;
        Assert.Equal("<img>", writtenConfig["added_tokens_decoder"]!["151652"]!["content"]!.GetValue<string>());
        Assert.Equal("<img>", writtenConfig["additional_special_tokens"]![8]!.GetValue<string>());
        Assert.Equal(config["chat_template"]!.GetValue<string>(), writtenConfig["chat_template"]!.GetValue<string>());
    }

    [Fact]
    public void ExistingTokenizerJsonWithAndesNamesIsCopiedAsIs()
    {
        AndesTokenizerAssets.WriteCheckpointFiles(Checkpoint);
        TokenizerJsonBuilder.WriteTokenizerJson(Checkpoint, Path.Combine(Checkpoint, "tokenizer.json"));
        TokenizerJsonBuilder.WriteModelFolderFiles(Checkpoint, Model);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Checkpoint, "tokenizer.json")), File.ReadAllBytes(Path.Combine(Model, "tokenizer.json")));
    }

    [Fact]
    public void ExistingTokenizerJsonWithOtherVisionTokenIsRejected()
    {
        AndesTokenizerAssets.WriteCheckpointFiles(Checkpoint);
        TokenizerJsonBuilder.WriteTokenizerJson(Checkpoint, Path.Combine(_root, "andes.json"));
        JsonNode json = JsonNode.Parse(File.ReadAllBytes(Path.Combine(_root, "andes.json")))!;
        SetAddedToken(json, 151653, "<|something|>");
        File.WriteAllText(Path.Combine(Checkpoint, "tokenizer.json"), json.ToJsonString());
        CheckpointException e = Assert.Throws<CheckpointException>(() => TokenizerJsonBuilder.WriteModelFolderFiles(Checkpoint, Model));
        Assert.Contains("151653", e.Message, StringComparison.Ordinal);
        Assert.Contains("<|something|>", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingVocabIsNamed()
    {
        AndesTokenizerAssets.WriteCheckpointFiles(Checkpoint);
        File.Delete(Path.Combine(Checkpoint, "vocab.json"));
        CheckpointException e = Assert.Throws<CheckpointException>(() => TokenizerJsonBuilder.WriteModelFolderFiles(Checkpoint, Model));
        Assert.EndsWith("vocab.json", e.FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public void MergeWithUnknownTokenIsNamed()
    {
        AndesTokenizerAssets.WriteCheckpointFiles(Checkpoint);
        File.AppendAllText(Path.Combine(Checkpoint, "merges.txt"), "zzzq qqqz\n");
        CheckpointException e = Assert.Throws<CheckpointException>(() => TokenizerJsonBuilder.WriteModelFolderFiles(Checkpoint, Model));
        Assert.Contains("zzzq qqqz", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("merges.txt", e.FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherTokenizerClassIsRejected()
    {
        AndesTokenizerAssets.WriteCheckpointFiles(Checkpoint);
        JsonNode config = JsonNode.Parse(File.ReadAllBytes(Path.Combine(Checkpoint, "tokenizer_config.json")))!;
        config["tokenizer_class"] = "LlamaTokenizer";
        File.WriteAllText(Path.Combine(Checkpoint, "tokenizer_config.json"), config.ToJsonString());
        CheckpointException e = Assert.Throws<CheckpointException>(() => TokenizerJsonBuilder.WriteModelFolderFiles(Checkpoint, Model));
        Assert.Contains("LlamaTokenizer", e.Message, StringComparison.Ordinal);
    }

    private static void SetAddedToken(JsonNode tokenizer, int id, string content)
        => tokenizer["added_tokens"]!.AsArray().First(t => t!["id"]!.GetValue<int>() == id)!["content"] = content;

    private static string? AddedTokenContent(JsonNode tokenizer, int id)
        => tokenizer["added_tokens"]!.AsArray().First(t => t!["id"]!.GetValue<int>() == id)!["content"]!.GetValue<string>();

    // Added tokens as objects with sorted keys, in id order.
    private static JsonNode Normalize(JsonNode tokens)
        => new JsonArray([.. tokens.AsArray()
            .OrderBy(t => t!["id"]!.GetValue<int>())
            .Select(t => (JsonNode)new JsonObject(t!.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))))]);

    private static string Sha256(IEnumerable<string> lines)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string line in lines)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(line));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
