using System.Text.Encodings.Web;
using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// Writes a Hugging Face <c>tokenizer.json</c> (byte-level BPE) from the data <see cref="TokenizerFileReader"/> reads:
/// the reader and the writer of one format live side by side so a field added to one is added to the other.
/// </summary>
internal static class TokenizerFileWriter
{
    // Relaxed escaping: the vocabulary is byte-level text such as "Ġthe"; escaping it would triple the file for nothing.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    /// <summary>Writes a Hugging Face <c>tokenizer.json</c> for byte-level BPE data.</summary>
    public static void Write(TokenizerData data, Stream destination)
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
}
