using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>
/// Turns a PEFT LoRA adapter folder (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>) into the graph's
/// parameters: PEFT's A [r, K] becomes lora_A [K, r], B [N, r] times the scale (alpha/r, or alpha/sqrt(r) with rsLoRA,
/// per-module <c>rank_pattern</c>/<c>alpha_pattern</c> honoured) becomes lora_B [r, N], named by
/// <see cref="LoraParameterNames"/>. Anything that cannot be expressed that way is rejected, naming the tensor.
/// </summary>
internal static class PeftAdapterConverter
{
    /// <summary>The result: parameters in layer/target order (A before B), and the fingerprint the adapter carries, if any.</summary>
    public sealed record Result(IReadOnlyList<LoraParameter> Parameters, string? BaseModelFingerprint, int Rank, LoraTargets Targets, long FileBytes);

    /// <summary>Whether a path is a PEFT adapter folder.</summary>
    public static bool IsPeftFolder(string path) => Directory.Exists(path) && File.Exists(Path.Combine(path, PeftAdapterConfig.FileName));

    /// <summary>Reads and converts a PEFT adapter folder.</summary>
    /// <exception cref="LoraAdapterException">An invalid or unsupported adapter (the message names the tensor).</exception>
    public static Result Convert(string directory)
    {
        PeftAdapterConfig config = PeftAdapterConfig.Load(directory);
        string weights = Path.Combine(directory, PeftAdapterConfig.WeightsFileName);
        if (!File.Exists(weights) && File.Exists(Path.Combine(directory, "adapter_model.bin")))
        {
            throw new LoraAdapterException($"'{directory}' holds adapter_model.bin (a pickle); only {PeftAdapterConfig.WeightsFileName} is read (save with safe_serialization=True).", directory, null);
        }

        (Dictionary<string, AdapterTensorFile.Tensor> tensors, Dictionary<string, string> metadata) = AdapterTensorFile.Read(weights);
        var pairs = new SortedDictionary<(int Layer, int Target), (string? A, string? B, string Module)>();
        foreach (string name in tensors.Keys.Order(StringComparer.Ordinal))
        {
            if (!LoraParameterNames.TryParsePeft(name, out int layer, out LoraTargets target, out bool isA)
                || !LoraParameterNames.TryGetPeftModule(name, out string? module))
            {
                string why = name.Contains("vision", StringComparison.OrdinalIgnoreCase) || name.Contains("mlp.0", StringComparison.Ordinal) || name.Contains("mlp.2", StringComparison.Ordinal)
                    ? "it adapts the vision tower or the connector; only the language model's q/k/v/o/gate/up/down projections can take LoRA inputs"
                    : "it is not a lora_A/lora_B matrix of the language model's q/k/v/o/gate/up/down projections (biases, DoRA magnitudes, embeddings and modules_to_save are not supported)";
                throw new LoraAdapterException($"'{weights}': tensor '{name}' cannot be used: {why}.", weights, name);
            }

            var key = (layer, LoraParameterNames.SingleTargets.ToList().IndexOf(target));
            pairs.TryGetValue(key, out (string? A, string? B, string Module) pair);
            pairs[key] = isA ? (name, pair.B, module) : (pair.A, name, module);
        }

        if (pairs.Count == 0)
        {
            throw new LoraAdapterException($"'{weights}' holds no LoRA matrices.", weights, null);
        }

        var parameters = new List<LoraParameter>(pairs.Count * 2);
        LoraTargets targets = LoraTargets.None;
        int maxRank = 0;
        foreach (((int layer, int targetIndex), (string? aName, string? bName, string module)) in pairs)
        {
            LoraTargets target = LoraParameterNames.SingleTargets[targetIndex];
            if (aName is null || bName is null)
            {
                string present = aName ?? bName!;
                throw new LoraAdapterException($"'{weights}': tensor '{present}' has no {(aName is null ? "lora_A" : "lora_B")} partner; LoRA matrices come in A/B pairs.", weights, present);
            }

            AdapterTensorFile.Tensor a = tensors[aName], b = tensors[bName];
            if (a.Shape.Length != 2)
            {
                throw new LoraAdapterException($"'{weights}': tensor '{aName}' has shape [{string.Join(", ", a.Shape)}]; lora_A must be 2-D [r, in_features].", weights, aName);
            }

            if (b.Shape.Length != 2)
            {
                throw new LoraAdapterException($"'{weights}': tensor '{bName}' has shape [{string.Join(", ", b.Shape)}]; lora_B must be 2-D [out_features, r].", weights, bName);
            }

            int rank = (int)a.Shape[0], k = (int)a.Shape[1], n = (int)b.Shape[0];
            if (b.Shape[1] != rank)
            {
                throw new LoraAdapterException($"'{weights}': tensor '{bName}' has shape [{string.Join(", ", b.Shape)}] but its lora_A '{aName}' has rank {rank} ([{string.Join(", ", a.Shape)}]).", weights, bName);
            }

            int expectedRank = config.RankFor(module);
            if (rank != expectedRank)
            {
                throw new LoraAdapterException($"'{weights}': tensor '{aName}' has rank {rank} but adapter_config.json gives module '{module}' rank {expectedRank}.", weights, aName);
            }

            FiniteWeights.Require(a.Data, weights, aName);
            FiniteWeights.Require(b.Data, weights, bName);
            float scale = (float)config.ScaleFor(module);
            float[] scaledB = Transpose(b.Data, n, rank, scale);
            if (!float.IsFinite(scale) || FiniteWeights.IndexOfNonFinite(scaledB) >= 0)
            {
                // Finite weights times a huge lora_alpha / r can still leave float32's range.
                throw new LoraAdapterException($"'{weights}': tensor '{bName}' times module '{module}''s scale {scale} (lora_alpha / r from adapter_config.json) is not finite in float32.", weights, bName);
            }

            parameters.Add(new LoraParameter(LoraParameterNames.A(layer, target), [k, rank], Transpose(a.Data, rank, k, 1f)));
            parameters.Add(new LoraParameter(LoraParameterNames.B(layer, target), [rank, n], scaledB));
            targets |= target;
            maxRank = Math.Max(maxRank, rank);
        }

        metadata.TryGetValue(LoraAdapter.BaseModelFingerprintMetadataKey, out string? fingerprint);
        long fileBytes = FileLengths.Of(weights);
        return new Result(parameters, fingerprint, maxRank, targets, fileBytes);
    }

    /// <summary>[rows, cols] row-major to [cols, rows], times <paramref name="scale"/>.</summary>
    internal static float[] Transpose(float[] source, int rows, int cols, float scale)
    {
        var result = new float[source.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                result[(c * rows) + r] = source[(r * cols) + c] * scale;
            }
        }

        return result;
    }
}
