using System.Text.Json;
using Andes.ModelBuilder;
namespace Andes.Testing.Reference;

/// <summary>
/// Merges a PEFT LoRA adapter into reference weights: W' = W + scale * B A for every adapted projection, computed in
/// double precision from the adapter's own files (its scale read independently of the code under test).
/// </summary>
public static class LoraMerge
{
    /// <summary>Wraps a provider so adapted projection weights come back merged with the adapter.</summary>
    /// <param name="weights">The base weights.</param>
    /// <param name="peftDirectory">The PEFT adapter folder.</param>
    /// <returns>The merged provider.</returns>
    public static Func<string, float[]?> WithAdapter(Func<string, float[]?> weights, string peftDirectory)
    {
        ArgumentNullException.ThrowIfNull(weights);
        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(Path.Combine(peftDirectory, "adapter_config.json")));
        int r = config.RootElement.GetProperty("r").GetInt32();
        double alpha = config.RootElement.GetProperty("lora_alpha").GetDouble();
        bool rs = config.RootElement.TryGetProperty("use_rslora", out JsonElement u) && u.GetBoolean();
        _ = r; // each module's rank is its tensors' (PEFT's rank_pattern), the scale alpha / rank (or / sqrt(rank))

        var deltas = new Dictionary<string, (float[] A, float[] B, int Rank)>(StringComparer.Ordinal);
        using (SafeTensorsFile file = SafeTensorsFile.Open(Path.Combine(peftDirectory, "adapter_model.safetensors")))
        {
            foreach (string name in file.Names.Where(n => n.EndsWith(".lora_A.weight", StringComparison.Ordinal)))
            {
                string bName = name.Replace(".lora_A.weight", ".lora_B.weight", StringComparison.Ordinal);
                string target = name["base_model.model.".Length..].Replace(".lora_A.weight", ".weight", StringComparison.Ordinal);
                float[] a = new float[file.GetInfo(name).ElementCount];
                float[] b = new float[file.GetInfo(bName).ElementCount];
                file.ReadFloat32(name, 0, a);
                file.ReadFloat32(bName, 0, b);
                deltas[target] = (a, b, (int)file.GetInfo(name).Shape[0]);
            }
        }

        return name =>
        {
            float[]? w = weights(name);
            if (w is null || !deltas.TryGetValue(name, out (float[] A, float[] B, int Rank) d))
            {
                return w;
            }

            int k = d.A.Length / d.Rank, n = d.B.Length / d.Rank;
            double scale = rs ? alpha / Math.Sqrt(d.Rank) : alpha / d.Rank;
            var merged = new float[w.Length];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    double sum = 0;
                    for (int t = 0; t < d.Rank; t++)
                    {
                        sum += (double)d.B[(i * d.Rank) + t] * d.A[(t * k) + j];
                    }

                    merged[(i * k) + j] = (float)(w[(i * k) + j] + (scale * sum));
                }
            }

            return merged;
        };
    }
}
