using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Andes.GenAI;

/// <summary>The decoder's (and embedding's) input/output names resolved from the config and checked against the graphs.</summary>
internal sealed class DecoderSignature
{
    public required int Layers { get; init; }

    public required int KvHeads { get; init; }

    public required int HeadSize { get; init; }

    public required int HiddenSize { get; init; }

    public required int VocabSize { get; init; }

    /// <summary>The decoder's embeddings input, or null when it takes token ids.</summary>
    public required string? InputsEmbeds { get; init; }

    /// <summary>The decoder's token-ids input, or null when it takes embeddings.</summary>
    public required string? InputIds { get; init; }

    public required string AttentionMask { get; init; }

    public required string Logits { get; init; }

    public required string[] PastKeys { get; init; }

    public required string[] PastValues { get; init; }

    public required string[] PresentKeys { get; init; }

    public required string[] PresentValues { get; init; }

    /// <summary>The position ids input, when the decoder has one.</summary>
    public required string? PositionIds { get; init; }

    /// <summary>
    /// The decoder's input for how many last positions get logits (<c>num_logits_to_keep</c>, int64 [1], returned as the
    /// <c>kept_logits</c> output), or null when it has none (it then returns the last position's only, or every
    /// position's). Speculative decoding needs it.
    /// </summary>
    public string? NumLogitsToKeep { get; init; }

    /// <summary>Whether key and value are stacked in one tensor per layer (<c>past_%d</c>): then <see cref="PastKeys"/>/<see cref="PresentKeys"/> hold those names and the value arrays are empty.</summary>
    public required bool CombinedKeyValues { get; init; }

    /// <summary>Whether one buffer may be bound as both past and present (GroupQueryAttention, separate KV).</summary>
    public required bool SharesPastPresentBuffer { get; init; }

    /// <summary>Whether the decoder's token ids (or the embedding graph's), mask and position ids are int32 (else int64).</summary>
    public required bool Int32Ids { get; init; }

    /// <summary>Whether the attention mask is int32 (else int64).</summary>
    public required bool Int32Mask { get; init; }

    /// <summary>Whether the position ids are int32 (else int64).</summary>
    public required bool Int32Positions { get; init; }

    public required string EmbeddingInputIds { get; init; }

    public required string EmbeddingOutput { get; init; }

    /// <summary>The embedding graph's image-features input, or null when it takes token ids only.</summary>
    public string? EmbeddingImageFeatures { get; private set; }

    // ONNX Runtime GenAI's default names (Config::Defaults in src/config.h).
    internal const string DefaultInputIds = "input_ids";
    internal const string DefaultInputsEmbeds = "inputs_embeds";
    internal const string DefaultAttentionMask = "attention_mask";
    internal const string DefaultPositionIds = "position_ids";
    internal const string DefaultPastKeyNames = "past_key_values.%d.key";
    internal const string DefaultPastValueNames = "past_key_values.%d.value";
    internal const string DefaultPresentKeyNames = "present.%d.key";
    internal const string DefaultPresentValueNames = "present.%d.value";
    internal const string DefaultImageFeatures = "image_features";
    internal const string NumLogitsToKeepName = "num_logits_to_keep";
    internal const string KeptLogitsName = "kept_logits";

    public static DecoderSignature Create(GenAIConfig config, InferenceSession decoder, InferenceSession? embedding, string configFile)
    {
        GenAIDecoderConfig d = config.Model.Decoder;
        bool combined = d.Inputs.PastNames is not null;
        if (combined != (d.Outputs.PresentNames is not null))
        {
            throw new ModelConfigurationException(
                $"'{configFile}': 'model.decoder.inputs.past_names' and 'model.decoder.outputs.present_names' must be given together.", configFile, "model.decoder.outputs.present_names");
        }

        string pastKey = d.Inputs.PastNames ?? d.Inputs.PastKeyNames ?? DefaultPastKeyNames;
        string pastValue = d.Inputs.PastValueNames ?? DefaultPastValueNames;
        string presentKey = d.Outputs.PresentNames ?? d.Outputs.PresentKeyNames ?? DefaultPresentKeyNames;
        string presentValue = d.Outputs.PresentValueNames ?? DefaultPresentValueNames;
        string idsInput = embedding is null ? d.Inputs.InputIds ?? DefaultInputIds : config.Model.Embedding?.Inputs.InputIds ?? DefaultInputIds;
        InferenceSession idsSession = embedding ?? decoder;

        // Kept required although ONNX Runtime GenAI feeds the mask only when the graph has one: its builder
        // (builders/base.py) leaves the mask out only of PagedAttention decoders, whose block-table inputs Andes does not
        // feed anyway.
        string maskName = d.Inputs.AttentionMask ?? DefaultAttentionMask;

        // As ONNX Runtime GenAI (DefaultPositionInputs, src/models/position_inputs.cpp): position ids are fed when the
        // graph has an input of the configured or default name, whether or not the file names it.
        string positionsName = d.Inputs.PositionIds ?? DefaultPositionIds;
        string? positionIds = decoder.InputMetadata.ContainsKey(positionsName) ? positionsName : null;

        int layers = LayerCount(d, decoder.InputMetadata, pastKey, combined, configFile);
        string[] pastKeys = Names(pastKey, layers);
        (int kvHeads, int headSize) = KeyValueShape(d, decoder.InputMetadata, pastKeys, combined, configFile);
        string embeddingOutput = config.Model.Embedding?.Outputs.InputsEmbeds ?? DefaultInputsEmbeds;
        string? inputsEmbeds = embedding is null ? null : d.Inputs.InputsEmbeds ?? DefaultInputsEmbeds;
        int hiddenSize = ResolveHiddenSize(d.HiddenSize, (embedding?.OutputMetadata, embeddingOutput), (decoder.InputMetadata, inputsEmbeds));
        if (embedding is not null && hiddenSize == 0)
        {
            throw MissingShape(configFile, "model.decoder.hidden_size", $"the graphs do not fix the last dimension of '{embeddingOutput}' / '{inputsEmbeds}'");
        }

        if (d.HiddenSize > 0)
        {
            foreach ((IReadOnlyDictionary<string, NodeMetadata>? metadata, string? name, string graph) in new[]
            {
                (embedding?.OutputMetadata, (string?)embeddingOutput, config.Model.Embedding?.Filename ?? "embedding"),
                (decoder.InputMetadata, inputsEmbeds, d.Filename),
            })
            {
                if (LastDimension(metadata, name) is > 0 and int fixedWidth && fixedWidth != d.HiddenSize)
                {
                    throw Disagrees(configFile, "model.decoder.hidden_size", d.HiddenSize, fixedWidth, $"the last dimension of '{name}' in '{graph}'");
                }
            }
        }

        if (config.Model.VocabSize > 0 && LastDimension(decoder.OutputMetadata, d.Outputs.Logits) is > 0 and int vocabulary && vocabulary != config.Model.VocabSize)
        {
            throw Disagrees(configFile, "model.vocab_size", config.Model.VocabSize, vocabulary, $"the last dimension of '{d.Outputs.Logits}' in '{d.Filename}'");
        }

        var signature = new DecoderSignature
        {
            Layers = layers,
            KvHeads = kvHeads,
            HeadSize = headSize,
            HiddenSize = hiddenSize,
            VocabSize = config.Model.VocabSize,
            InputsEmbeds = inputsEmbeds,
            InputIds = embedding is null ? d.Inputs.InputIds ?? DefaultInputIds : null,
            AttentionMask = maskName,
            Logits = d.Outputs.Logits,
            PastKeys = pastKeys,
            PastValues = combined ? [] : Names(pastValue, layers),
            PresentKeys = Names(presentKey, layers),
            PresentValues = combined ? [] : Names(presentValue, layers),
            PositionIds = positionIds,
            NumLogitsToKeep = (decoder.OverridableInitializerMetadata.TryGetValue(NumLogitsToKeepName, out NodeMetadata? keep) || decoder.InputMetadata.TryGetValue(NumLogitsToKeepName, out keep))
                && keep.ElementDataType == TensorElementType.Int64 && decoder.OutputMetadata.ContainsKey(KeptLogitsName) ? NumLogitsToKeepName : null,
            CombinedKeyValues = combined,
            SharesPastPresentBuffer = config.Search.PastPresentShareBuffer && !combined,
            Int32Ids = IsInt32(idsSession.InputMetadata, idsInput),
            Int32Mask = IsInt32(decoder.InputMetadata, maskName),
            Int32Positions = positionIds is not null && IsInt32(decoder.InputMetadata, positionIds),
            EmbeddingInputIds = config.Model.Embedding?.Inputs.InputIds ?? DefaultInputIds,
            EmbeddingOutput = embeddingOutput,
        };

        Check(decoder.InputMetadata, signature.InputsEmbeds ?? signature.InputIds!, "model.decoder.inputs." + (signature.InputsEmbeds is null ? "input_ids" : "inputs_embeds"), configFile, d.Filename);
        Check(decoder.InputMetadata, signature.AttentionMask, "model.decoder.inputs.attention_mask", configFile, d.Filename);
        Check(decoder.OutputMetadata, signature.Logits, "model.decoder.outputs.logits", configFile, d.Filename);
        for (int i = 0; i < layers; i++)
        {
            Check(decoder.InputMetadata, signature.PastKeys[i], combined ? "model.decoder.inputs.past_names" : "model.decoder.inputs.past_key_names", configFile, d.Filename);
            Check(decoder.OutputMetadata, signature.PresentKeys[i], combined ? "model.decoder.outputs.present_names" : "model.decoder.outputs.present_key_names", configFile, d.Filename);
            if (!combined)
            {
                Check(decoder.InputMetadata, signature.PastValues[i], "model.decoder.inputs.past_value_names", configFile, d.Filename);
                Check(decoder.OutputMetadata, signature.PresentValues[i], "model.decoder.outputs.present_value_names", configFile, d.Filename);
            }
        }

        if (embedding is not null)
        {
            string file = config.Model.Embedding!.Filename;
            Check(embedding.InputMetadata, signature.EmbeddingInputIds, "model.embedding.inputs.input_ids", configFile, file);
            Check(embedding.OutputMetadata, signature.EmbeddingOutput, "model.embedding.outputs.inputs_embeds", configFile, file);
            string? features = config.Model.Embedding.Inputs.ImageFeatures;
            if (features is not null)
            {
                Check(embedding.InputMetadata, features, "model.embedding.inputs.image_features", configFile, file);
            }
            else if (embedding.InputMetadata.ContainsKey(DefaultImageFeatures))
            {
                features = DefaultImageFeatures;
            }

            signature.EmbeddingImageFeatures = features;
        }

        return signature;
    }

    /// <summary>
    /// The hidden size: the config's when it gives one (ONNX Runtime GenAI sizes its embeddings buffer from it), else the
    /// last dimension of the first of <paramref name="sources"/> (graph inputs/outputs) that fixes it; 0 when none does.
    /// </summary>
    internal static int ResolveHiddenSize(int configured, params (IReadOnlyDictionary<string, NodeMetadata>? Metadata, string? Name)[] sources)
    {
        if (configured > 0)
        {
            return configured;
        }

        foreach ((IReadOnlyDictionary<string, NodeMetadata>? metadata, string? name) in sources)
        {
            if (metadata is not null && name is not null && metadata.TryGetValue(name, out NodeMetadata? m) && m.Dimensions is [.., > 0 and int last])
            {
                return last;
            }
        }

        return 0;
    }

    // ONNX Runtime GenAI's DefaultKeyValueCache (src/models/kv_cache.cpp) counts the graph's inputs that match the past
    // key template and uses that count over num_hidden_layers; its CombinedKeyValueCache takes num_hidden_layers as is.
    private static int LayerCount(GenAIDecoderConfig d, IReadOnlyDictionary<string, NodeMetadata> inputs, string pastKey, bool combined, string configFile)
    {
        int discovered = combined ? 0 : CountLayerInputs(inputs, pastKey);
        if (discovered > 0)
        {
            return discovered;
        }

        if (d.NumHiddenLayers > 0)
        {
            return d.NumHiddenLayers;
        }

        throw MissingShape(configFile, "model.decoder.num_hidden_layers", combined
            ? "combined past_%d tensors take the layer count from the configuration only"
            : $"the graph has no input matching '{pastKey}'");
    }

    private static int CountLayerInputs(IReadOnlyDictionary<string, NodeMetadata> inputs, string template)
    {
        int at = template.IndexOf("%d", StringComparison.Ordinal);
        if (at < 0)
        {
            return 0;
        }

        string prefix = template[..at], suffix = template[(at + 2)..];
        return inputs.Keys.Count(name => name.Length > prefix.Length + suffix.Length
            && name.StartsWith(prefix, StringComparison.Ordinal)
            && name.EndsWith(suffix, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(prefix.Length, name.Length - prefix.Length - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _));
    }

    // ONNX Runtime GenAI's DefaultKeyValueCache reads each layer's head count and head size from the past key input's
    // shape [batch, kv_heads, length, head_size] where the graph fixes them, falling back to the config; the combined
    // cache uses the config only. Andes keeps one shape for all layers, so layers that differ are unsupported.
    private static (int KvHeads, int HeadSize) KeyValueShape(GenAIDecoderConfig d, IReadOnlyDictionary<string, NodeMetadata> inputs, string[] pastKeys, bool combined, string configFile)
    {
        int kvHeads = d.NumKeyValueHeads, headSize = d.HeadSize;
        if (!combined)
        {
            kvHeads = FromGraph(inputs, pastKeys, 1, kvHeads, configFile, "model.decoder.num_key_value_heads");
            headSize = FromGraph(inputs, pastKeys, 3, headSize, configFile, "model.decoder.head_size");
        }

        string why = combined ? "combined past_%d tensors take it from the configuration only" : $"the graph's '{pastKeys[0]}' input does not fix it";
        return (kvHeads > 0 ? kvHeads : throw MissingShape(configFile, "model.decoder.num_key_value_heads", why),
            headSize > 0 ? headSize : throw MissingShape(configFile, "model.decoder.head_size", why));
    }

    private static int FromGraph(IReadOnlyDictionary<string, NodeMetadata> inputs, string[] pastKeys, int axis, int configured, string configFile, string field)
    {
        int found = 0;
        foreach (string name in pastKeys)
        {
            if (!inputs.TryGetValue(name, out NodeMetadata? m) || m.Dimensions.Length != 4 || m.Dimensions[axis] <= 0)
            {
                continue;
            }

            if (found > 0 && m.Dimensions[axis] != found)
            {
                throw new ModelConfigurationException(
                    $"'{configFile}': the decoder's past key inputs differ in dimension {axis} ({found} and {m.Dimensions[axis]} at '{name}', field '{field}'): per-layer key/value shapes, which Andes does not support.",
                    configFile,
                    field);
            }

            found = m.Dimensions[axis];
        }

        if (found > 0 && configured > 0 && configured != found)
        {
            throw Disagrees(configFile, field, configured, found, $"dimension {axis} of the decoder's '{pastKeys[0]}' input");
        }

        return found > 0 ? found : configured;
    }

    /// <summary>
    /// A config value the graphs contradict: loading refuses it, since ONNX Runtime GenAI sizes its buffers from the
    /// config and would fail (or read garbage) on the first request, far from the cause.
    /// </summary>
    private static ModelConfigurationException Disagrees(string configFile, string field, long configured, long graph, string where) =>
        new($"'{configFile}': field '{field}' is {configured} but the graph says {graph} ({where}); correct the field or the graph.", configFile, field);

    // The last dimension of a graph input or output, when the graph fixes it.
    private static int LastDimension(IReadOnlyDictionary<string, NodeMetadata>? metadata, string? name) =>
        metadata is not null && name is not null && metadata.TryGetValue(name, out NodeMetadata? m) && m.Dimensions is [.., > 0 and int last] ? last : 0;

    private static ModelConfigurationException MissingShape(string configFile, string field, string why) =>
        new($"'{configFile}': field '{field}' is missing or 0, and Andes cannot take it from the graph: {why}.", configFile, field);

    private static bool IsInt32(IReadOnlyDictionary<string, NodeMetadata> metadata, string name) =>
        metadata.TryGetValue(name, out NodeMetadata? m) && m.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int32;

    private static string[] Names(string format, int layers)
    {
        var names = new string[layers];
        for (int i = 0; i < layers; i++)
        {
            names[i] = format.Replace("%d", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return names;
    }

    private static void Check(IReadOnlyDictionary<string, NodeMetadata> metadata, string name, string field, string configFile, string graphFile)
    {
        if (!metadata.ContainsKey(name))
        {
            throw new ModelConfigurationException(
                $"'{configFile}': field '{field}' names '{name}', which graph '{graphFile}' does not have (it has: {string.Join(", ", metadata.Keys.Take(8))}{(metadata.Count > 8 ? ", ..." : string.Empty)}).",
                configFile,
                field);
        }
    }
}
