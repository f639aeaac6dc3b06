using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// Reads Hugging Face tokenizer files with <see cref="Utf8JsonReader"/> (one pass, no DOM for the big parts):
/// <c>tokenizer.json</c>, GPT-2-style <c>vocab.json</c> + <c>merges.txt</c>, and the <c>added_tokens_decoder</c> of
/// <c>tokenizer_config.json</c>. Errors are <see cref="InvalidDataException"/> (malformed) or
/// <see cref="NotSupportedException"/> (a valid feature this tokenizer does not implement), naming the file and field.
/// </summary>
internal static class TokenizerFileReader
{
    /// <summary>The Qwen2 split regex exactly as it appears (unescaped) in Qwen2/Qwen3 <c>tokenizer.json</c>.</summary>
    public const string Qwen2SplitRegex =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The GPT-2 split regex (used by <c>ByteLevel</c> with <c>use_regex: true</c>).</summary>
    public const string Gpt2SplitRegex = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 64,
    };

    /// <summary>Reads a whole stream into memory (tokenizer files are parsed from one buffer).</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>The bytes.</returns>
    public static byte[] ReadAllBytes(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining > int.MaxValue)
            {
                throw new InvalidDataException($"Tokenizer stream is too large ({remaining} bytes).");
            }

            var buffer = new byte[remaining];
            stream.ReadExactly(buffer);
            return buffer;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Parses a Hugging Face <c>tokenizer.json</c> with a byte-level BPE model.</summary>
    /// <param name="json">The file content (UTF-8, optional BOM).</param>
    /// <param name="source">The file name for error messages.</param>
    /// <returns>The tokenizer data.</returns>
    public static TokenizerData ReadTokenizerJson(ReadOnlySpan<byte> json, string source)
    {
        json = SkipBom(json);
        List<KeyValuePair<string, int>>? vocabulary = null;
        List<string>? merges = null;
        List<AddedToken> addedTokens = [];
        bool nfc = false;
        ByteLevelSplitPattern? pattern = null;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            ReadExpected(ref reader, JsonTokenType.StartObject, source, "$");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    (vocabulary, merges) = ReadModel(ref reader, source);
                }
                else if (reader.ValueTextEquals("added_tokens"u8))
                {
                    reader.Read();
                    addedTokens = ReadAddedTokensArray(ref reader, source);
                }
                else if (reader.ValueTextEquals("normalizer"u8))
                {
                    reader.Read();
                    using JsonDocument document = JsonDocument.ParseValue(ref reader);
                    nfc = ParseNormalizer(document.RootElement, source);
                }
                else if (reader.ValueTextEquals("pre_tokenizer"u8))
                {
                    reader.Read();
                    using JsonDocument document = JsonDocument.ParseValue(ref reader);
                    pattern = ParsePreTokenizer(document.RootElement, source);
                }
                else if (reader.ValueTextEquals("decoder"u8))
                {
                    reader.Read();
                    using JsonDocument document = JsonDocument.ParseValue(ref reader);
                    CheckDecoder(document.RootElement, source);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: invalid JSON ({e.Message})", e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader's deferred errors: a string that is not valid Unicode (a lone surrogate escape or invalid
            // UTF-8), or a value of another kind than the field takes.
            throw new InvalidDataException($"{source}: a value cannot be read ({e.Message})", e);
        }

        if (vocabulary is null || merges is null)
        {
            throw new InvalidDataException($"{source}: missing 'model' with 'vocab' and 'merges'.");
        }

        if (pattern is null)
        {
            throw new NotSupportedException($"{source}: 'pre_tokenizer' is missing; a byte-level BPE pre-tokenizer (Qwen2 Split + ByteLevel, or ByteLevel with use_regex) is required.");
        }

        return new TokenizerData
        {
            Vocabulary = vocabulary,
            Merges = merges,
            AddedTokens = addedTokens,
            NormalizeNfc = nfc,
            SplitPattern = pattern.Value,
            Source = source,
        };
    }

    /// <summary>Parses a GPT-2-style <c>vocab.json</c> (an object of token to id).</summary>
    /// <param name="json">The file content.</param>
    /// <param name="source">The file name for error messages.</param>
    /// <returns>The vocabulary entries in file order.</returns>
    public static List<KeyValuePair<string, int>> ReadVocabJson(ReadOnlySpan<byte> json, string source)
    {
        try
        {
            var reader = new Utf8JsonReader(SkipBom(json), ReaderOptions);
            reader.Read();
            return ReadVocabObject(ref reader, source, "$");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: invalid JSON ({e.Message})", e);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{source}: a value cannot be read ({e.Message})", e);
        }
    }

    /// <summary>Parses a <c>merges.txt</c>: one <c>"left right"</c> pair per line; <c>#version</c> lines and blank lines are skipped.</summary>
    /// <param name="text">The file content (UTF-8).</param>
    /// <param name="source">The file name for error messages.</param>
    /// <returns>The merges in priority order.</returns>
    public static List<string> ReadMergesTxt(ReadOnlySpan<byte> text, string source)
    {
        text = SkipBom(text);
        var merges = new List<string>(text.Length / 11);
        int lineNumber = 0;
        while (!text.IsEmpty)
        {
            lineNumber++;
            int newline = text.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? text : text[..newline];
            text = newline < 0 ? [] : text[(newline + 1)..];
            if (!line.IsEmpty && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty || line.StartsWith("#version"u8))
            {
                continue;
            }

            int space = line.IndexOf((byte)' ');
            if (space <= 0 || space == line.Length - 1 || line[(space + 1)..].IndexOf((byte)' ') >= 0)
            {
                throw new InvalidDataException($"{source}: line {lineNumber} is not a merge of the form 'left right': '{Encoding.UTF8.GetString(line)}'.");
            }

            merges.Add(Encoding.UTF8.GetString(line));
        }

        return merges;
    }

    /// <summary>
    /// Checks separately shipped <c>vocab.json</c> + <c>merges.txt</c> + added tokens against each other, which a
    /// <c>tokenizer.json</c> written by Hugging Face never needs: files from different checkpoints mixed in one folder
    /// would otherwise load and tokenise wrongly without any error.
    /// </summary>
    /// <param name="data">The data read from the files.</param>
    /// <param name="vocabSource">The <c>vocab.json</c> name for error messages.</param>
    /// <param name="mergesSource">The <c>merges.txt</c> name for error messages.</param>
    /// <exception cref="InvalidDataException">A merge uses or makes a token missing from the vocabulary, or an added token takes the id of another token.</exception>
    public static void CheckConsistency(TokenizerData data, string vocabSource, string mergesSource)
    {
        var tokens = new HashSet<string>(data.Vocabulary.Select(e => e.Key), StringComparer.Ordinal);
        var lookup = tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int i = 0; i < data.Merges.Count; i++)
        {
            ReadOnlySpan<char> merge = data.Merges[i];
            int space = merge.IndexOf(' ');
            if (!lookup.Contains(merge[..space]) || !lookup.Contains(merge[(space + 1)..]) || !tokens.Contains(string.Concat(merge[..space], merge[(space + 1)..])))
            {
                throw new InvalidDataException($"{mergesSource}: merge {i + 1} '{data.Merges[i]}' uses or makes a token missing from {Path.GetFileName(vocabSource)}.");
            }
        }

        // GPT-2's vocab.json lists <|endoftext|> and its added token repeats it with the same id: that is allowed.
        var byId = new Dictionary<int, string>(data.Vocabulary.Count);
        foreach (KeyValuePair<string, int> entry in data.Vocabulary)
        {
            byId.TryAdd(entry.Value, entry.Key);
        }

        foreach (AddedToken token in data.AddedTokens)
        {
            if (byId.TryGetValue(token.Id, out string? existing) && existing != token.Content)
            {
                throw new InvalidDataException($"{vocabSource}: added token {token.Id} '{token.Content}' reuses the id of vocabulary token '{existing}'.");
            }
        }
    }

    /// <summary>
    /// Parses the <c>added_tokens_decoder</c> object of a <c>tokenizer_config.json</c> (id string to token object).
    /// </summary>
    /// <param name="json">The file content.</param>
    /// <param name="source">The file name for error messages.</param>
    /// <returns>The added tokens sorted by id; empty if the file has no <c>added_tokens_decoder</c>.</returns>
    public static List<AddedToken> ReadAddedTokensDecoder(ReadOnlySpan<byte> json, string source)
    {
        var tokens = new List<AddedToken>();
        try
        {
            var reader = new Utf8JsonReader(SkipBom(json), ReaderOptions);
            ReadExpected(ref reader, JsonTokenType.StartObject, source, "$");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("added_tokens_decoder"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                ReadExpected(ref reader, JsonTokenType.StartObject, source, "added_tokens_decoder");
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string key = reader.GetString()!;
                    if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id))
                    {
                        throw new InvalidDataException($"{source}: added_tokens_decoder key '{key}' is not a token id.");
                    }

                    reader.Read();
                    tokens.Add(ReadAddedTokenObject(ref reader, source, $"added_tokens_decoder.{key}", id));
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: invalid JSON ({e.Message})", e);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{source}: a value cannot be read ({e.Message})", e);
        }

        tokens.Sort((a, b) => a.Id.CompareTo(b.Id));
        return tokens;
    }

    private static (List<KeyValuePair<string, int>> Vocabulary, List<string> Merges) ReadModel(ref Utf8JsonReader reader, string source)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidDataException($"{source}: 'model' must be an object.");
        }

        List<KeyValuePair<string, int>>? vocabulary = null;
        List<string>? merges = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                string? type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (type != "BPE")
                {
                    throw new NotSupportedException($"{source}: model.type is '{type}'; only 'BPE' is supported.");
                }
            }
            else if (reader.ValueTextEquals("vocab"u8))
            {
                reader.Read();
                vocabulary = ReadVocabObject(ref reader, source, "model.vocab");
            }
            else if (reader.ValueTextEquals("merges"u8))
            {
                reader.Read();
                merges = ReadMergesArray(ref reader, source);
            }
            else if (reader.ValueTextEquals("byte_fallback"u8) || reader.ValueTextEquals("ignore_merges"u8))
            {
                string name = reader.GetString()!;
                reader.Read();
                if (reader.TokenType == JsonTokenType.True)
                {
                    throw new NotSupportedException($"{source}: model.{name} = true is not supported.");
                }
            }
            else if (reader.ValueTextEquals("continuing_subword_prefix"u8) || reader.ValueTextEquals("end_of_word_suffix"u8))
            {
                string name = reader.GetString()!;
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                {
                    throw new NotSupportedException($"{source}: model.{name} = '{reader.GetString()}' is not supported by a byte-level tokenizer.");
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (vocabulary is null)
        {
            throw new InvalidDataException($"{source}: model.vocab is missing.");
        }

        return (vocabulary, merges ?? []);
    }

    private static List<KeyValuePair<string, int>> ReadVocabObject(ref Utf8JsonReader reader, string source, string field)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidDataException($"{source}: {field} must be an object of token to id.");
        }

        var vocabulary = new List<KeyValuePair<string, int>>(160_000);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string token = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int id) || id < 0)
            {
                throw new InvalidDataException($"{source}: {field}['{token}'] must be a non-negative integer id.");
            }

            vocabulary.Add(new KeyValuePair<string, int>(token, id));
        }

        if (vocabulary.Count == 0)
        {
            throw new InvalidDataException($"{source}: {field} is empty.");
        }

        return vocabulary;
    }

    private static List<string> ReadMergesArray(ref Utf8JsonReader reader, string source)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InvalidDataException($"{source}: model.merges must be an array.");
        }

        var merges = new List<string>(160_000);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    // Legacy form: "left right".
                    merges.Add(reader.GetString()!);
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new InvalidDataException($"{source}: model.merges[{merges.Count}] must be \"left right\" or [\"left\", \"right\"].");
                }

                // Current form: ["left", "right"]; build "left right" from the unescaped UTF-8 in one allocation.
                int length = 0;
                int parts = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    int needed = length + 1 + reader.ValueSpan.Length;
                    if (needed > buffer.Length)
                    {
                        byte[] larger = ArrayPool<byte>.Shared.Rent(needed * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    if (parts > 0)
                    {
                        buffer[length++] = (byte)' ';
                    }

                    length += reader.CopyString(buffer.AsSpan(length));
                    parts++;
                }

                if (parts != 2 || reader.TokenType != JsonTokenType.EndArray)
                {
                    throw new InvalidDataException($"{source}: model.merges[{merges.Count}] must hold exactly two strings.");
                }

                merges.Add(Encoding.UTF8.GetString(buffer, 0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return merges;
    }

    private static List<AddedToken> ReadAddedTokensArray(ref Utf8JsonReader reader, string source)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InvalidDataException($"{source}: 'added_tokens' must be an array.");
        }

        var tokens = new List<AddedToken>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            tokens.Add(ReadAddedTokenObject(ref reader, source, $"added_tokens[{tokens.Count}]", id: null));
        }

        return tokens;
    }

    private static AddedToken ReadAddedTokenObject(ref Utf8JsonReader reader, string source, string field, int? id)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidDataException($"{source}: {field} must be an object.");
        }

        string? content = null;
        bool special = false, normalized = false, lstrip = false, rstrip = false, singleWord = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "id":
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int value) || value < 0)
                    {
                        throw new InvalidDataException($"{source}: {field}.id must be a non-negative integer.");
                    }

                    id = value;
                    break;
                case "content":
                    content = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    break;
                case "special": special = ReadBool(ref reader, source, field, name); break;
                case "normalized": normalized = ReadBool(ref reader, source, field, name); break;
                case "lstrip": lstrip = ReadBool(ref reader, source, field, name); break;
                case "rstrip": rstrip = ReadBool(ref reader, source, field, name); break;
                case "single_word": singleWord = ReadBool(ref reader, source, field, name); break;
                default: reader.Skip(); break;
            }
        }

        if (id is null)
        {
            throw new InvalidDataException($"{source}: {field} has no 'id'.");
        }

        if (string.IsNullOrEmpty(content))
        {
            throw new InvalidDataException($"{source}: {field} (id {id}) has no 'content'.");
        }

        return new AddedToken(id.Value, content, special)
        {
            Normalized = normalized,
            LStrip = lstrip,
            RStrip = rstrip,
            SingleWord = singleWord,
        };
    }

    private static bool ReadBool(ref Utf8JsonReader reader, string source, string field, string name) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False or JsonTokenType.Null => false,
        _ => throw new InvalidDataException($"{source}: {field}.{name} must be true or false."),
    };

    private static bool ParseNormalizer(JsonElement normalizer, string source)
    {
        if (normalizer.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        string? type = normalizer.TryGetProperty("type", out JsonElement t) ? t.GetString() : null;
        if (type == "NFC")
        {
            return true;
        }

        if (type == "Sequence" && normalizer.TryGetProperty("normalizers", out JsonElement items))
        {
            bool nfc = false;
            foreach (JsonElement item in items.EnumerateArray())
            {
                nfc |= ParseNormalizer(item, source);
            }

            return nfc;
        }

        throw new NotSupportedException($"{source}: normalizer '{normalizer.GetRawText()}' is not supported; only NFC or none.");
    }

    private static ByteLevelSplitPattern ParsePreTokenizer(JsonElement preTokenizer, string source)
    {
        string? type = preTokenizer.ValueKind == JsonValueKind.Object && preTokenizer.TryGetProperty("type", out JsonElement t) ? t.GetString() : null;
        if (type == "Sequence" && preTokenizer.TryGetProperty("pretokenizers", out JsonElement items) && items.GetArrayLength() == 2)
        {
            JsonElement split = items[0];
            JsonElement byteLevel = items[1];
            if (split.TryGetProperty("type", out JsonElement splitType) && splitType.GetString() == "Split"
                && split.TryGetProperty("pattern", out JsonElement pattern) && pattern.TryGetProperty("Regex", out JsonElement regex)
                && split.TryGetProperty("behavior", out JsonElement behavior) && behavior.GetString() == "Isolated"
                && !(split.TryGetProperty("invert", out JsonElement invert) && invert.ValueKind == JsonValueKind.True)
                && IsByteLevel(byteLevel, useRegex: false))
            {
                string? text = regex.GetString();
                if (text == Qwen2SplitRegex)
                {
                    return ByteLevelSplitPattern.Qwen2;
                }

                if (text == Gpt2SplitRegex)
                {
                    return ByteLevelSplitPattern.Gpt2;
                }
            }
        }
        else if (IsByteLevel(preTokenizer, useRegex: true))
        {
            return ByteLevelSplitPattern.Gpt2;
        }

        throw new NotSupportedException(
            $"{source}: pre_tokenizer '{preTokenizer.GetRawText()}' is not supported; expected the Qwen2 Split regex + ByteLevel, or ByteLevel with use_regex (GPT-2), without add_prefix_space.");
    }

    private static bool IsByteLevel(JsonElement element, bool useRegex)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("type", out JsonElement type) || type.GetString() != "ByteLevel")
        {
            return false;
        }

        if (element.TryGetProperty("add_prefix_space", out JsonElement prefix) && prefix.ValueKind == JsonValueKind.True)
        {
            return false;
        }

        // use_regex defaults to true in Hugging Face tokenizers.
        bool usesRegex = !element.TryGetProperty("use_regex", out JsonElement regex) || regex.ValueKind == JsonValueKind.True;
        return usesRegex == useRegex;
    }

    private static void CheckDecoder(JsonElement decoder, string source)
    {
        if (decoder.ValueKind == JsonValueKind.Null
            || (decoder.TryGetProperty("type", out JsonElement type) && type.GetString() == "ByteLevel"))
        {
            return;
        }

        throw new NotSupportedException($"{source}: decoder '{decoder.GetRawText()}' is not supported; only ByteLevel.");
    }

    private static void ReadExpected(ref Utf8JsonReader reader, JsonTokenType expected, string source, string field)
    {
        if (!reader.Read() || reader.TokenType != expected)
        {
            throw new InvalidDataException($"{source}: {field} must be a JSON {(expected == JsonTokenType.StartObject ? "object" : expected.ToString())}.");
        }
    }

    private static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> bytes) => bytes.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
}
