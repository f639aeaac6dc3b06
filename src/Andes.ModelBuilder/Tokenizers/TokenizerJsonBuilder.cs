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

        string vocabPath = RequireFile(checkpointDirectory, "vocab.json");
        string mergesPath = RequireFile(checkpointDirectory, "merges.txt");
        string configPath = RequireFile(checkpointDirectory, "tokenizer_config.json");
        try
        {
            CheckTokenizerClass(File.ReadAllBytes(configPath), configPath);
            AndesTokenizerOptions options = AndesTokenizerOptions.FromTokenizerConfig(configPath);
            if (options.AddedTokens.Count == 0)
            {
                throw new CheckpointException($"{configPath}: 'added_tokens_decoder' is missing or empty; AndesVL needs its 26 added tokens.", configPath);
            }

            options.AddedTokens = [.. options.AddedTokens.Select(RenameVisionToken)];

            // Built in memory first: a checkpoint error must not leave an empty or partial tokenizer.json behind.
            using var json = new MemoryStream();
            AndesTokenizer.WriteTokenizerJson(vocabPath, mergesPath, options, json);
            File.WriteAllBytes(tokenizerJsonPath, json.ToArray());
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException(e.Message, FileNamedIn(e.Message, vocabPath, mergesPath, configPath), innerException: e);
        }
        catch (NotSupportedException e)
        {
            throw new CheckpointException(e.Message, checkpointDirectory, innerException: e);
        }
    }

    // The engine's messages start with the file they are about; the exception's FilePath should name that file too.
    private static string FileNamedIn(string message, params string[] candidates)
        => candidates.FirstOrDefault(c => message.StartsWith(c, StringComparison.Ordinal)) ?? Path.GetDirectoryName(candidates[0])!;

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
