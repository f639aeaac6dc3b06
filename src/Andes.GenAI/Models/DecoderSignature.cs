using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace Andes.GenAI.Models;

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

    public static DecoderSignature Create(GenAIConfig config, InferenceSession decoder, InferenceSession? embedding, string configFile)
    {
        GenAIDecoderConfig d = config.Model.Decoder;
        bool combined = d.Inputs.PastNames is not null;
        if (combined != (d.Outputs.PresentNames is not null))
        {
            throw new ModelConfigurationException(
                $"'{configFile}': 'model.decoder.inputs.past_names' and 'model.decoder.outputs.present_names' must be given together.", configFile, "model.decoder.outputs.present_names");
        }

        string pastKey = d.Inputs.PastNames ?? d.Inputs.PastKeyNames ?? "past_key_values.%d.key";
        string pastValue = d.Inputs.PastValueNames ?? "past_key_values.%d.value";
        string presentKey = d.Outputs.PresentNames ?? d.Outputs.PresentKeyNames ?? "present.%d.key";
        string presentValue = d.Outputs.PresentValueNames ?? "present.%d.value";
        string idsInput = embedding is null ? d.Inputs.InputIds ?? "input_ids" : config.Model.Embedding?.Inputs.InputIds ?? "input_ids";
        InferenceSession idsSession = embedding ?? decoder;
        string maskName = d.Inputs.AttentionMask ?? "attention_mask";
        var signature = new DecoderSignature
        {
            Layers = d.NumHiddenLayers,
            KvHeads = d.NumKeyValueHeads,
            HeadSize = d.HeadSize,
            HiddenSize = d.HiddenSize,
            VocabSize = config.Model.VocabSize,
            InputsEmbeds = embedding is null ? null : d.Inputs.InputsEmbeds ?? "inputs_embeds",
            InputIds = embedding is null ? d.Inputs.InputIds ?? "input_ids" : null,
            AttentionMask = d.Inputs.AttentionMask ?? "attention_mask",
            Logits = d.Outputs.Logits,
            PastKeys = Names(pastKey, d.NumHiddenLayers),
            PastValues = combined ? [] : Names(pastValue, d.NumHiddenLayers),
            PresentKeys = Names(presentKey, d.NumHiddenLayers),
            PresentValues = combined ? [] : Names(presentValue, d.NumHiddenLayers),
            PositionIds = d.Inputs.PositionIds,
            CombinedKeyValues = combined,
            SharesPastPresentBuffer = config.Search.PastPresentShareBuffer && !combined,
            Int32Ids = IsInt32(idsSession.InputMetadata, idsInput),
            Int32Mask = IsInt32(decoder.InputMetadata, maskName),
            Int32Positions = d.Inputs.PositionIds is { } pos && IsInt32(decoder.InputMetadata, pos),
            EmbeddingInputIds = config.Model.Embedding?.Inputs.InputIds ?? "input_ids",
            EmbeddingOutput = config.Model.Embedding?.Outputs.InputsEmbeds ?? "inputs_embeds",
        };

        Check(decoder.InputMetadata, signature.InputsEmbeds ?? signature.InputIds!, "model.decoder.inputs." + (signature.InputsEmbeds is null ? "input_ids" : "inputs_embeds"), configFile, d.Filename);
        Check(decoder.InputMetadata, signature.AttentionMask, "model.decoder.inputs.attention_mask", configFile, d.Filename);
        Check(decoder.OutputMetadata, signature.Logits, "model.decoder.outputs.logits", configFile, d.Filename);
        if (signature.PositionIds is { } positionIds)
        {
            Check(decoder.InputMetadata, positionIds, "model.decoder.inputs.position_ids", configFile, d.Filename);
        }

        for (int i = 0; i < d.NumHiddenLayers; i++)
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
            else if (embedding.InputMetadata.ContainsKey("image_features"))
            {
                features = "image_features";
            }

            signature.EmbeddingImageFeatures = features;
        }

        return signature;
    }

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
