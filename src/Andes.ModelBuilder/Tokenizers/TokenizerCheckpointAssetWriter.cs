using System.Text.Json;
using System.Text.Json.Nodes;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Adds AndesVL's published tokenizer and generation files (<see cref="AndesTokenizerAssets"/>) to a generated
/// checkpoint. The published <c>preprocessor_config.json</c> is AIMv2's (patch 14, CLIP mean and std); for a SigLIP2
/// configuration its patch size and normalisation (mean and std 0.5) are set from the configuration instead.
/// </summary>
public sealed class TokenizerCheckpointAssetWriter : ICheckpointAssetWriter
{
    /// <summary>The shared instance.</summary>
    public static TokenizerCheckpointAssetWriter Instance { get; } = new();

    /// <inheritdoc />
    public void WriteAssets(string checkpointDirectory, AndesVLConfig config)
    {
        AndesTokenizerAssets.WriteCheckpointFiles(checkpointDirectory);
        if (config?.VisionConfig is { } vision && config.IsSigLip2)
        {
            string path = Path.Combine(checkpointDirectory, "preprocessor_config.json");
            JsonObject processor = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            processor["image_processor_type"] = "SiglipImageProcessor";
            processor["patch_size"] = vision.PatchSize;
            processor["hidden_stride"] = vision.HiddenStride;
            processor["image_mean"] = new JsonArray(0.5, 0.5, 0.5);
            processor["image_std"] = new JsonArray(0.5, 0.5, 0.5);
            File.WriteAllText(path, processor.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
    }
}
