using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Andes.GenAI;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Writes the tokenizer files of a model folder from a Hugging Face AndesVL checkpoint folder. A published AndesVL
/// checkpoint has no <c>tokenizer.json</c>: it is built from <c>vocab.json</c> + <c>merges.txt</c> +
/// <c>tokenizer_config.json</c>'s <c>added_tokens_decoder</c> as a byte-level BPE model with the Qwen2 split
/// pre-tokenizer, NFC normaliser and ByteLevel decoder (what Hugging Face's <c>Qwen2TokenizerFast</c> would save). A
/// checkpoint that has a <c>tokenizer.json</c> keeps it, except that added tokens 151652/151653 named
/// <c>&lt;|vision_start|&gt;</c>/<c>&lt;|vision_end|&gt;</c> (Qwen3's names) are renamed <c>&lt;img&gt;</c>/<c>&lt;/img&gt;</c>.
/// Stateless and thread-safe.
/// </summary>
public static class TokenizerJsonBuilder
{
    /// <summary>The id of <c>&lt;img&gt;</c> (Qwen3's <c>&lt;|vision_start|&gt;</c>).</summary>
    public const int ImageStartTokenId = 151652;

    /// <summary>The id of <c>&lt;/img&gt;</c> (Qwen3's <c>&lt;|vision_end|&gt;</c>).</summary>
    public const int ImageEndTokenId = 151653;

    private static readonly (int Id, string AndesName, string QwenName)[] VisionTokens =
    [
        (ImageStartTokenId, "<img>", "<|vision_start|>"),
        (ImageEndTokenId, "</img>", "<|vision_end|>"),
    ];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    /// <summary>
    /// Writes <c>tokenizer.json</c> and <c>tokenizer_config.json</c> into <paramref name="modelDirectory"/> (created if
    /// needed; existing files are overwritten).
    /// </summary>
    /// <param name="checkpointDirectory">The Hugging Face checkpoint folder.</param>
    /// <param name="modelDirectory">The model folder.</param>
    /// <exception cref="CheckpointException">A tokenizer file is missing or malformed (the message names it).</exception>
    public static void WriteModelFolderFiles(string checkpointDirectory, string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        Directory.CreateDirectory(modelDirectory);
        WriteTokenizerJson(checkpointDirectory, Path.Combine(modelDirectory, "tokenizer.json"));
        WriteTokenizerConfig(checkpointDirectory, Path.Combine(modelDirectory, "tokenizer_config.json"));
    }

    /// <summary>Writes the model folder's <c>tokenizer.json</c> for a checkpoint.</summary>
    /// <param name="checkpointDirectory">The Hugging Face checkpoint folder.</param>
    /// <param name="tokenizerJsonPath">The file to write.</param>
    /// <exception cref="CheckpointException">A tokenizer file is missing or malformed.</exception>
    public static void WriteTokenizerJson(string checkpointDirectory, string tokenizerJsonPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        ArgumentException.ThrowIfNullOrEmpty(tokenizerJsonPath);
        string existing = Path.Combine(checkpointDirectory, "tokenizer.json");
        if (File.Exists(existing))
        {
            CopyTokenizerJsonWithVisionNames(existing, tokenizerJsonPath);
            return;
        }

        TokenizerData data = ReadCheckpointTokenizer(checkpointDirectory);
        using FileStream stream = File.Create(tokenizerJsonPath);
        WriteTokenizerJson(data, stream);
    }

    /// <summary>Reads vocab.json + merges.txt + tokenizer_config.json's added tokens (vision tokens renamed).</summary>
    internal static TokenizerData ReadCheckpointTokenizer(string checkpointDirectory)
    {
        string vocabPath = RequireFile(checkpointDirectory, "vocab.json");
        string mergesPath = RequireFile(checkpointDirectory, "merges.txt");
        string configPath = RequireFile(checkpointDirectory, "tokenizer_config.json");
        try
        {
            byte[] config = File.ReadAllBytes(configPath);
            CheckTokenizerClass(config, configPath);
            List<AddedToken> added = TokenizerFileReader.ReadAddedTokensDecoder(config, configPath);
            if (added.Count == 0)
            {
                throw new CheckpointException($"{configPath}: 'added_tokens_decoder' is missing or empty; AndesVL needs its 26 added tokens.", configPath);
            }

            var vocabulary = TokenizerFileReader.ReadVocabJson(File.ReadAllBytes(vocabPath), vocabPath);
            var merges = TokenizerFileReader.ReadMergesTxt(File.ReadAllBytes(mergesPath), mergesPath);
            CheckMerges(vocabulary, merges, mergesPath);
            var vocabularyIds = new HashSet<int>(vocabulary.Select(e => e.Value));
            foreach (AddedToken token in added)
            {
                if (vocabularyIds.Contains(token.Id))
                {
                    throw new CheckpointException($"{configPath}: added token {token.Id} '{token.Content}' reuses an id of {vocabPath}.", configPath);
                }
            }

            return new TokenizerData
            {
                Vocabulary = vocabulary,
                Merges = merges,
                AddedTokens = [.. added.Select(RenameVisionToken)],
                SplitPattern = ByteLevelSplitPattern.Qwen2,
                NormalizeNfc = true,
                Source = checkpointDirectory,
            };
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException(e.Message, checkpointDirectory, innerException: e);
        }
        catch (NotSupportedException e)
        {
            throw new CheckpointException(e.Message, checkpointDirectory, innerException: e);
        }
    }

    /// <summary>Writes a Hugging Face <c>tokenizer.json</c> for byte-level BPE data.</summary>
    internal static void WriteTokenizerJson(TokenizerData data, Stream destination)
    {
        using var writer = new Utf8JsonWriter(destination, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("version", "1.0");
        writer.WriteNull("truncation");
        writer.WriteNull("padding");

        writer.WriteStartArray("added_tokens");
        foreach (AddedToken token in data.AddedTokens.OrderBy(t => t.Id))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", token.Id);
            writer.WriteString("content", token.Content);
            writer.WriteBoolean("single_word", token.SingleWord);
            writer.WriteBoolean("lstrip", token.LStrip);
            writer.WriteBoolean("rstrip", token.RStrip);
            writer.WriteBoolean("normalized", token.Normalized);
            writer.WriteBoolean("special", token.Special);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        if (data.NormalizeNfc)
        {
            writer.WriteStartObject("normalizer");
            writer.WriteString("type", "NFC");
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("normalizer");
        }

        writer.WriteStartObject("pre_tokenizer");
        writer.WriteString("type", "Sequence");
        writer.WriteStartArray("pretokenizers");
        writer.WriteStartObject();
        writer.WriteString("type", "Split");
        writer.WriteStartObject("pattern");
        writer.WriteString("Regex", data.SplitPattern == ByteLevelSplitPattern.Qwen2 ? TokenizerFileReader.Qwen2SplitRegex : TokenizerFileReader.Gpt2SplitRegex);
        writer.WriteEndObject();
        writer.WriteString("behavior", "Isolated");
        writer.WriteBoolean("invert", false);
        writer.WriteEndObject();
        WriteByteLevel(writer, null);
        writer.WriteEndArray();
        writer.WriteEndObject();

        WriteByteLevel(writer, "post_processor");
        WriteByteLevel(writer, "decoder");

        writer.WriteStartObject("model");
        writer.WriteString("type", "BPE");
        writer.WriteNull("dropout");
        writer.WriteNull("unk_token");
        writer.WriteString("continuing_subword_prefix", string.Empty);
        writer.WriteString("end_of_word_suffix", string.Empty);
        writer.WriteBoolean("fuse_unk", false);
        writer.WriteBoolean("byte_fallback", false);
        writer.WriteBoolean("ignore_merges", false);
        writer.WriteStartObject("vocab");
        foreach (KeyValuePair<string, int> entry in data.Vocabulary.OrderBy(e => e.Value))
        {
            writer.WriteNumber(entry.Key, entry.Value);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("merges");
        foreach (string merge in data.Merges)
        {
            int space = merge.IndexOf(' ', StringComparison.Ordinal);
            writer.WriteStartArray();
            writer.WriteStringValue(merge.AsSpan(0, space));
            writer.WriteStringValue(merge.AsSpan(space + 1));
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteByteLevel(Utf8JsonWriter writer, string? propertyName)
    {
        if (propertyName is null)
        {
            writer.WriteStartObject();
        }
        else
        {
            writer.WriteStartObject(propertyName);
        }

        writer.WriteString("type", "ByteLevel");
        writer.WriteBoolean("add_prefix_space", false);
        writer.WriteBoolean("trim_offsets", false);
        writer.WriteBoolean("use_regex", false);
        writer.WriteEndObject();
    }

    private static void WriteTokenizerConfig(string checkpointDirectory, string destinationPath)
    {
        string configPath = RequireFile(checkpointDirectory, "tokenizer_config.json");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(configPath), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{configPath}: invalid JSON ({e.Message})", configPath, innerException: e);
        }

        bool changed = false;
        if (root?["added_tokens_decoder"] is JsonObject decoder)
        {
            foreach ((int id, string andesName, string qwenName) in VisionTokens)
            {
                if (decoder[id.ToString(System.Globalization.CultureInfo.InvariantCulture)] is JsonObject token
                    && token["content"]?.GetValue<string>() == qwenName)
                {
                    token["content"] = andesName;
                    changed = true;
                }
            }
        }

        if (root?["additional_special_tokens"] is JsonArray additional)
        {
            for (int i = 0; i < additional.Count; i++)
            {
                string? value = additional[i]?.GetValueKind() == JsonValueKind.String ? additional[i]!.GetValue<string>() : null;
                foreach ((_, string andesName, string qwenName) in VisionTokens)
                {
                    if (value == qwenName)
                    {
                        additional[i] = andesName;
                        changed = true;
                    }
                }
            }
        }

        if (!changed)
        {
            File.Copy(configPath, destinationPath, overwrite: true);
            return;
        }

        using FileStream stream = File.Create(destinationPath);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true });
        root!.WriteTo(writer);
    }

    private static void CopyTokenizerJsonWithVisionNames(string sourcePath, string destinationPath)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(sourcePath));
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{sourcePath}: invalid JSON ({e.Message})", sourcePath, innerException: e);
        }

        if (root?["added_tokens"] is not JsonArray addedTokens)
        {
            throw new CheckpointException($"{sourcePath}: 'added_tokens' is missing.", sourcePath);
        }

        bool changed = false;
        foreach ((int id, string andesName, string qwenName) in VisionTokens)
        {
            JsonObject? token = addedTokens.OfType<JsonObject>().FirstOrDefault(t => t["id"]?.GetValueKind() == JsonValueKind.Number && t["id"]!.GetValue<int>() == id);
            string? content = token?["content"]?.GetValue<string>();
            if (content == qwenName)
            {
                token!["content"] = andesName;
                changed = true;
            }
            else if (content != andesName)
            {
                throw new CheckpointException(
                    $"{sourcePath}: added token {id} is '{content ?? "(missing)"}'; AndesVL expects '{andesName}' (or Qwen's '{qwenName}', which is renamed).", sourcePath);
            }
        }

        if (!changed)
        {
            File.Copy(sourcePath, destinationPath, overwrite: true);
            return;
        }

        using FileStream stream = File.Create(destinationPath);
        using var writer = new Utf8JsonWriter(stream, WriterOptions);
        root.WriteTo(writer);
    }

    private static AddedToken RenameVisionToken(AddedToken token)
    {
        foreach ((int id, string andesName, string qwenName) in VisionTokens)
        {
            if (token.Id == id && token.Content == qwenName)
            {
                return new AddedToken(token.Id, andesName, token.Special)
                {
                    Normalized = token.Normalized,
                    LStrip = token.LStrip,
                    RStrip = token.RStrip,
                    SingleWord = token.SingleWord,
                };
            }
        }

        return token;
    }

    private static void CheckTokenizerClass(byte[] config, string configPath)
    {
        var reader = new Utf8JsonReader(config, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new CheckpointException($"{configPath}: must be a JSON object.", configPath);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isClass = reader.ValueTextEquals("tokenizer_class"u8);
            reader.Read();
            if (isClass && reader.TokenType == JsonTokenType.String)
            {
                string? name = reader.GetString();
                if (name is not ("Qwen2Tokenizer" or "Qwen2TokenizerFast"))
                {
                    throw new CheckpointException($"{configPath}: tokenizer_class '{name}' is not supported; AndesVL uses Qwen2Tokenizer.", configPath);
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void CheckMerges(List<KeyValuePair<string, int>> vocabulary, List<string> merges, string mergesPath)
    {
        var tokens = new HashSet<string>(vocabulary.Select(e => e.Key), StringComparer.Ordinal);
        var lookup = tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int i = 0; i < merges.Count; i++)
        {
            ReadOnlySpan<char> merge = merges[i];
            int space = merge.IndexOf(' ');
            if (!lookup.Contains(merge[..space]) || !lookup.Contains(merge[(space + 1)..]) || !tokens.Contains(string.Concat(merge[..space], merge[(space + 1)..])))
            {
                throw new CheckpointException($"{mergesPath}: merge {i + 1} '{merges[i]}' uses or makes a token missing from vocab.json.", mergesPath);
            }
        }
    }

    private static string RequireFile(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            throw new CheckpointException($"Checkpoint tokenizer file '{path}' is missing.", path);
        }

        return path;
    }
}
