using System.Text.Json;
using System.Text.Json.Nodes;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Writes the model folder's <c>processor_config.json</c>: the checkpoint's Hugging Face
/// <c>preprocessor_config.json</c> (fields kept as they are: <c>patch_size</c>, <c>hidden_stride</c>,
/// <c>image_mean</c>, <c>image_std</c>, <c>rescale_factor</c>, <c>min_pixels</c>, <c>max_pixels</c>, ...) plus
/// <c>max_size</c> (the longest side of the square whose area caps an image: 733 as in the model card's chat();
/// the published evaluation uses 1792). Without a preprocessor file the fields come from <c>vision_config</c> and
/// the tower's normalisation (AIMv2: CLIP mean and std; SigLIP2: 0.5).
/// </summary>
/// <remarks>
/// ONNX Runtime GenAI's own processor files use another schema (onnxruntime-extensions); this file is read only by
/// Andes, so it keeps the Hugging Face field names.
/// </remarks>
internal static class ProcessorConfigWriter
{
    public const string FileName = "processor_config.json";
    public const string SourceFileName = "preprocessor_config.json";
    public const int DefaultMaxSize = 733;

    private static readonly double[] ClipMean = [0.48145466, 0.4578275, 0.40821073];
    private static readonly double[] ClipStd = [0.26862954, 0.26130258, 0.27577711];

    public static void Write(string checkpointDirectory, string outputDirectory, AndesVisionConfig vision, bool isSigLip2)
    {
        string source = Path.Combine(checkpointDirectory, SourceFileName);
        JsonObject processor;
        if (File.Exists(source))
        {
            try
            {
                processor = JsonNode.Parse(File.ReadAllText(source)) as JsonObject
                    ?? throw new CheckpointException($"'{source}' is not a JSON object.", source);
            }
            catch (JsonException ex)
            {
                throw new CheckpointException($"'{source}' is not valid JSON: {ex.Message}", source, innerException: ex);
            }

            if (processor["patch_size"] is JsonValue patch && patch.TryGetValue(out int p) && p != vision.PatchSize)
            {
                throw new CheckpointException(
                    $"'{source}': field 'patch_size' is {p} but config.json's vision_config.patch_size is {vision.PatchSize}.", source);
            }
        }
        else
        {
            double[] mean = isSigLip2 ? [0.5, 0.5, 0.5] : ClipMean;
            double[] std = isSigLip2 ? [0.5, 0.5, 0.5] : ClipStd;
            processor = new JsonObject
            {
                ["image_processor_type"] = isSigLip2 ? "SiglipImageProcessor" : "CLIPImageProcessor",
                ["do_convert_rgb"] = true,
                ["do_rescale"] = true,
                ["rescale_factor"] = 1.0 / 255,
                ["do_normalize"] = true,
                ["image_mean"] = new JsonArray(mean.Select(v => (JsonNode)v).ToArray()),
                ["image_std"] = new JsonArray(std.Select(v => (JsonNode)v).ToArray()),
                ["resample"] = 3,
                ["temporal_patch_size"] = vision.TemporalPatchSize,
            };
            if (vision.MinPixels is long min)
            {
                processor["min_pixels"] = min;
            }

            if (vision.MaxPixels is long max)
            {
                processor["max_pixels"] = max;
            }
        }

        processor["patch_size"] ??= vision.PatchSize;
        processor["hidden_stride"] ??= vision.HiddenStride;
        processor["max_size"] ??= DefaultMaxSize;
        File.WriteAllText(Path.Combine(outputDirectory, FileName), processor.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
