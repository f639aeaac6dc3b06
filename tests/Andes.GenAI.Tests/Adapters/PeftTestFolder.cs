using System.Text.Json;
using Andes.ModelBuilder;
namespace Andes.GenAI.Tests.Adapters;

/// <summary>Writes small hand-made PEFT adapter folders for validation tests.</summary>
internal static class PeftTestFolder
{
    public const string Prefix = "base_model.model.language_model.model.layers.";

    public static string Write(string directory, int rank, IReadOnlyDictionary<string, long[]> tensors, IReadOnlyDictionary<string, string>? metadata = null, double alpha = 8, IReadOnlyDictionary<string, int>? rankPattern = null, (string Tensor, int Index, float Value)? poison = null)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "adapter_config.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["peft_type"] = "LORA",
            ["r"] = rank,
            ["lora_alpha"] = alpha,
            ["target_modules"] = new[] { "q_proj", "v_proj" },
            ["rank_pattern"] = rankPattern ?? new Dictionary<string, int>(),
        }));
        using SafeTensorsWriter writer = SafeTensorsWriter.Create(
            Path.Combine(directory, "adapter_model.safetensors"),
            tensors.Select(t => new TensorDeclaration(t.Key, TensorDataType.Float32, t.Value)),
            metadata ?? SafeTensorsWriter.DefaultMetadata);
        var random = new Random(1);
        foreach ((string name, long[] shape) in tensors)
        {
            float[] data = new float[shape.Aggregate(1L, (a, b) => a * b)];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (float)(random.NextDouble() - 0.5) * 0.1f;
            }

            if (poison is { } p && p.Tensor == name)
            {
                data[p.Index] = p.Value;
            }

            writer.WriteFloat32(data);
        }

        writer.Complete();
        return directory;
    }

    /// <summary>A valid q_proj pair of layer <paramref name="layer"/> for the tiny model (hidden 64, 4 heads x 32).</summary>
    public static Dictionary<string, long[]> QPair(int layer = 0, int rank = 4) => new()
    {
        [$"{Prefix}{layer}.self_attn.q_proj.lora_A.weight"] = [rank, 64],
        [$"{Prefix}{layer}.self_attn.q_proj.lora_B.weight"] = [128, rank],
    };
}
