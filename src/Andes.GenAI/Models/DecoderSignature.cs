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

    public required string EmbeddingInputIds { get; init; }

    public required string EmbeddingOutput { get; init; }

    /// <summary>The embedding graph's image-features input, or null when it takes token ids only.</summary>
    public string? EmbeddingImageFeatures { get; private set; }

    public static DecoderSignature Create(GenAIConfig config, InferenceSession decoder, InferenceSession? embedding, string configFile)
    {
        GenAIDecoderConfig d = config.Model.Decoder;
        string pastKey = d.Inputs.PastKeyNames ?? "past_key_values.%d.key";
        string pastValue = d.Inputs.PastValueNames ?? "past_key_values.%d.value";
        string presentKey = d.Outputs.PresentKeyNames ?? "present.%d.key";
        string presentValue = d.Outputs.PresentValueNames ?? "present.%d.value";
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
            PastValues = Names(pastValue, d.NumHiddenLayers),
            PresentKeys = Names(presentKey, d.NumHiddenLayers),
            PresentValues = Names(presentValue, d.NumHiddenLayers),
            EmbeddingInputIds = config.Model.Embedding?.Inputs.InputIds ?? "input_ids",
            EmbeddingOutput = config.Model.Embedding?.Outputs.InputsEmbeds ?? "inputs_embeds",
        };

        Check(decoder.InputMetadata, signature.InputsEmbeds ?? signature.InputIds!, "model.decoder.inputs." + (signature.InputsEmbeds is null ? "input_ids" : "inputs_embeds"), configFile, d.Filename);
        Check(decoder.InputMetadata, signature.AttentionMask, "model.decoder.inputs.attention_mask", configFile, d.Filename);
        Check(decoder.OutputMetadata, signature.Logits, "model.decoder.outputs.logits", configFile, d.Filename);
        for (int i = 0; i < d.NumHiddenLayers; i++)
        {
            Check(decoder.InputMetadata, signature.PastKeys[i], "model.decoder.inputs.past_key_names", configFile, d.Filename);
            Check(decoder.InputMetadata, signature.PastValues[i], "model.decoder.inputs.past_value_names", configFile, d.Filename);
            Check(decoder.OutputMetadata, signature.PresentKeys[i], "model.decoder.outputs.present_key_names", configFile, d.Filename);
            Check(decoder.OutputMetadata, signature.PresentValues[i], "model.decoder.outputs.present_value_names", configFile, d.Filename);
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
