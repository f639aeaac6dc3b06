using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>
/// The <c>search</c> section: default generation parameters. The section may be absent; each field then has ONNX
/// Runtime GenAI's default.
/// </summary>
public sealed class GenAISearchConfig
{
    /// <summary>Sample (true) or decode greedily (false).</summary>
    [JsonPropertyName("do_sample")] public bool DoSample { get; set; }

    /// <summary>Maximum total length; absent or 0 in the file means the context length (set so on load).</summary>
    [JsonPropertyName("max_length")] public int MaxLength { get; set; }

    /// <summary>Minimum total length.</summary>
    [JsonPropertyName("min_length")] public int MinLength { get; set; }

    /// <summary>Top-k (0: off).</summary>
    [JsonPropertyName("top_k")] public int TopK { get; set; } = 50;

    /// <summary>Top-p (0: off).</summary>
    [JsonPropertyName("top_p")] public float TopP { get; set; }

    /// <summary>Temperature.</summary>
    [JsonPropertyName("temperature")] public float Temperature { get; set; } = 1f;

    /// <summary>Repetition penalty (1: off).</summary>
    [JsonPropertyName("repetition_penalty")] public float RepetitionPenalty { get; set; } = 1f;

    /// <summary>Beam count: 1 (Andes does not do beam search; a larger value is a configuration error).</summary>
    [JsonPropertyName("num_beams")] public int NumBeams { get; set; } = 1;

    /// <summary>
    /// Default batch size of ONNX Runtime GenAI's generator (1 when absent); read and not used, since each Andes generator
    /// runs one sequence.
    /// </summary>
    [JsonPropertyName("batch_size")] public int? BatchSize { get; set; }

    /// <summary>Sequences returned.</summary>
    [JsonPropertyName("num_return_sequences")] public int NumReturnSequences { get; set; } = 1;

    /// <summary>Whether past and present KV share one buffer (true for GroupQueryAttention decoders).</summary>
    [JsonPropertyName("past_present_share_buffer")] public bool PastPresentShareBuffer { get; set; }

    /// <summary>Random seed (-1: random).</summary>
    [JsonPropertyName("random_seed")] public long RandomSeed { get; set; } = -1;

    /// <summary>Beam search early stopping.</summary>
    [JsonPropertyName("early_stopping")] public bool EarlyStopping { get; set; } = true;

    /// <summary>Beam search length penalty.</summary>
    [JsonPropertyName("length_penalty")] public float LengthPenalty { get; set; } = 1f;

    /// <summary>No-repeat n-gram size (0: off).</summary>
    [JsonPropertyName("no_repeat_ngram_size")] public int NoRepeatNgramSize { get; set; }

    /// <summary>Diversity penalty.</summary>
    [JsonPropertyName("diversity_penalty")] public float DiversityPenalty { get; set; }
}
