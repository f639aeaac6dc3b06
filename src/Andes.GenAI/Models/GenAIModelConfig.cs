using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>The <c>model</c> section of <c>genai_config.json</c>.</summary>
public sealed class GenAIModelConfig
{
    /// <summary>
    /// Model type (<c>andesvl</c> for models written by Andes; ONNX Runtime GenAI's builder writes the architecture, e.g.
    /// <c>qwen3</c>). Andes does not dispatch on it: the graphs' inputs and outputs decide how a folder runs.
    /// </summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "andesvl";

    /// <summary>Maximum total tokens (prompt + generated). Required, greater than 0.</summary>
    [JsonPropertyName("context_length")] public int ContextLength { get; set; }

    /// <summary>Vocabulary size (logits width).</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; set; }

    /// <summary>BOS token id.</summary>
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; set; }

    /// <summary>Padding token id.</summary>
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; set; }

    /// <summary>
    /// End-of-sequence token ids (a single int or an array in the file). When the file has none, loading sets them to
    /// <c>[pad_token_id]</c>, as ONNX Runtime GenAI does.
    /// </summary>
    [JsonPropertyName("eos_token_id")]
    [JsonConverter(typeof(IntOrIntArrayJsonConverter))]
    public int[] EosTokenId { get; set; } = [];

    /// <summary>Separator token id (encoder models; read and not used by Andes).</summary>
    [JsonPropertyName("sep_token_id")] public int? SepTokenId { get; set; }

    /// <summary>The first decoder token of encoder-decoder models (read and not used by Andes).</summary>
    [JsonPropertyName("decoder_start_token_id")] public int? DecoderStartTokenId { get; set; }

    /// <summary>
    /// The token id that opens a tool call (<c>&lt;tool_call&gt;</c>, 151657 in the Qwen3 vocabulary), when the model
    /// has one. ONNX Runtime GenAI names it <c>bot_token_id</c> (beginning of tool call).
    /// </summary>
    [JsonPropertyName("bot_token_id")] public int? BotTokenId { get; set; }

    /// <summary>
    /// The token id that closes a tool call (<c>&lt;/tool_call&gt;</c>, 151658 in the Qwen3 vocabulary), when the model
    /// has one. ONNX Runtime GenAI names it <c>eot_token_id</c> (end of tool call).
    /// </summary>
    [JsonPropertyName("eot_token_id")] public int? EotTokenId { get; set; }

    /// <summary>The token id that opens a reasoning span (read and not used by Andes).</summary>
    [JsonPropertyName("bor_token_id")] public int? BorTokenId { get; set; }

    /// <summary>The token id that closes a reasoning span (read and not used by Andes).</summary>
    [JsonPropertyName("eor_token_id")] public int? EorTokenId { get; set; }

    /// <summary>The video placeholder token id (read and not used: Andes takes no video).</summary>
    [JsonPropertyName("video_token_id")] public int? VideoTokenId { get; set; }

    /// <summary>The audio placeholder token id (read and not used: Andes takes no audio).</summary>
    [JsonPropertyName("audio_token_id")] public int? AudioTokenId { get; set; }

    /// <summary>The audio start token id (read and not used: Andes takes no audio).</summary>
    [JsonPropertyName("boa_token_id")] public int? BoaTokenId { get; set; }

    /// <summary>The image placeholder token id (<c>&lt;|vision_pad|&gt;</c>).</summary>
    [JsonPropertyName("image_token_id")] public int? ImageTokenId { get; set; }

    /// <summary>The image start token id (<c>&lt;img&gt;</c>).</summary>
    [JsonPropertyName("vision_start_token_id")] public int? VisionStartTokenId { get; set; }

    /// <summary>The image end token id (<c>&lt;/img&gt;</c>); an Andes field, which ONNX Runtime GenAI does not have.</summary>
    [JsonPropertyName("vision_end_token_id")] public int? VisionEndTokenId { get; set; }

    /// <summary>The decoder graph.</summary>
    [JsonPropertyName("decoder")] public GenAIDecoderConfig Decoder { get; set; } = new();

    /// <summary>The embedding graph (vision-language layout), if any.</summary>
    [JsonPropertyName("embedding")] public GenAIEmbeddingConfig? Embedding { get; set; }

    /// <summary>The vision graph, if any.</summary>
    [JsonPropertyName("vision")] public GenAIVisionConfig? Vision { get; set; }
}
