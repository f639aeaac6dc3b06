using System.Buffers;
using System.Text.Json;
using Andes.GenAI;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Generates seeded random PEFT LoRA adapters for an AndesVL checkpoint, for tests and benchmarks: a folder with
/// <c>adapter_config.json</c> (peft_type LORA, r, lora_alpha, target_modules, use_rslora) and
/// <c>adapter_model.safetensors</c> holding, for every layer and adapted projection,
/// <c>base_model.model.language_model.model.layers.{i}.self_attn.q_proj.lora_A.weight</c> [r, in] and
/// <c>...lora_B.weight</c> [out, r], as PEFT saves them.
/// </summary>
/// <remarks>
/// Unlike a freshly initialised PEFT adapter (B = 0), both A and B are non-zero: A ~ N(0, 1/in) and B is drawn so that
/// the merged update scale * B A has standard deviation <see cref="LoraAdapterGeneratorOptions.Strength"/>/sqrt(in),
/// which visibly changes the model's outputs. Each tensor's values depend only on the seed and its name. The base
/// checkpoint's fingerprint goes into the safetensors metadata (<c>andes.base_model_fingerprint</c>), so loading the
/// adapter on another base model is caught.
/// </remarks>
public static class LoraAdapterGenerator
{
    private const int ChunkElements = 1 << 16;

    // The file names the peft library writes; the engine's PEFT reader looks for the same two.
    private const string PeftConfigFileName = "adapter_config.json";
    private const string PeftWeightsFileName = "adapter_model.safetensors";

    /// <summary>Writes a seeded adapter for the checkpoint in <paramref name="checkpointDirectory"/>.</summary>
    /// <param name="checkpointDirectory">The base checkpoint (its <c>config.json</c> gives the shapes).</param>
    /// <param name="outputDirectory">The adapter folder (created; earlier adapter files are replaced).</param>
    /// <param name="options">Rank, alpha, seed, targets; null for defaults (rank 16, alpha 32, all seven targets).</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentException">A non-positive rank or strength, no targets, or an unsupported element type.</exception>
    /// <exception cref="CheckpointException">The checkpoint cannot be read.</exception>
    public static GeneratedLoraAdapter Generate(string checkpointDirectory, string outputDirectory, LoraAdapterGeneratorOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        options = options?.Clone() ?? new LoraAdapterGeneratorOptions();
        if (options.Rank <= 0)
        {
            throw new ArgumentException($"Rank must be positive, not {options.Rank}.", nameof(options));
        }

        if (!(options.Strength > 0) || options.Targets == LoraTargets.None || (options.Targets & ~LoraTargets.All) != 0)
        {
            throw new ArgumentException($"Strength must be positive (is {options.Strength}) and Targets a non-empty set of projections (is {options.Targets}).", nameof(options));
        }

        if (options.DataType is not (TensorDataType.Float32 or TensorDataType.BFloat16 or TensorDataType.Float16))
        {
            throw new ArgumentException($"Adapters are written as F32, BF16 or F16, not {options.DataType}.", nameof(options));
        }

        AndesVLConfig config = AndesVLConfig.Load(checkpointDirectory);
        Qwen3TextConfig text = config.TextConfig;
        string fingerprint;
        using (ITensorSource source = SafeTensorsCheckpoint.Open(checkpointDirectory))
        {
            fingerprint = BaseModelFingerprint.Compute(text, source).Fingerprint;
        }

        int r = options.Rank;
        double alpha = options.Alpha ?? 2.0 * r;
        double scale = options.UseRsLora ? alpha / Math.Sqrt(r) : alpha / r;
        var tensors = new List<(TensorDeclaration Declaration, float Std)>();
        for (int layer = 0; layer < text.NumHiddenLayers; layer++)
        {
            foreach (LoraTargets target in LoraParameterNames.SingleTargets.Where(t => (options.Targets & t) != 0))
            {
                (int k, int n) = Sizes(text, target);
                string module = $"base_model.model.language_model.model.layers.{layer}.{LoraParameterNames.ModulePath(target)}";
                tensors.Add((new TensorDeclaration(module + ".lora_A.weight", options.DataType, [r, k]), 1f / MathF.Sqrt(k)));
                tensors.Add((new TensorDeclaration(module + ".lora_B.weight", options.DataType, [n, r]), (float)(options.Strength / (scale * Math.Sqrt(r)))));
            }
        }

        string directory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(directory);
        var metadata = new Dictionary<string, string> { ["format"] = "pt", [LoraAdapter.BaseModelFingerprintMetadataKey] = fingerprint };
        float[] chunk = ArrayPool<float>.Shared.Rent(ChunkElements);
        long bytes;
        try
        {
            using SafeTensorsWriter writer = SafeTensorsWriter.Create(Path.Combine(directory, PeftWeightsFileName), tensors.Select(t => t.Declaration), metadata);
            foreach ((TensorDeclaration declaration, float std) in tensors)
            {
                SeededNormalStream values = SeededNormalStream.ForTensor(options.Seed, declaration.Name);
                for (long remaining = declaration.ElementCount; remaining > 0;)
                {
                    int count = (int)Math.Min(ChunkElements, remaining);
                    values.Fill(chunk.AsSpan(0, count), 0, std);
                    writer.WriteFloat32(chunk.AsSpan(0, count));
                    remaining -= count;
                }
            }

            writer.Complete();
            bytes = writer.DataLength;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(chunk);
        }

        WritePeftConfig(
            Path.Combine(directory, PeftConfigFileName),
            Path.GetFullPath(checkpointDirectory),
            r,
            alpha,
            options.UseRsLora,
            LoraParameterNames.SingleTargets.Where(t => (options.Targets & t) != 0).Select(LoraParameterNames.ModuleName));
        return new GeneratedLoraAdapter(directory, r, alpha, scale, options.Targets, tensors.Count, bytes, fingerprint);
    }

    /// <summary>
    /// Writes a PEFT <c>adapter_config.json</c> as the <c>peft</c> library does for a plain LoRA: the engine reads it
    /// like any adapter trained with PEFT, so the generated folder exercises the same path as a downloaded one.
    /// </summary>
    private static void WritePeftConfig(string path, string baseModel, int rank, double alpha, bool useRsLora, IEnumerable<string> targetModules)
    {
        using FileStream stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("peft_type", "LORA");
        json.WriteString("task_type", "CAUSAL_LM");
        json.WriteString("base_model_name_or_path", baseModel);
        json.WriteNumber("r", rank);
        json.WriteNumber("lora_alpha", alpha);
        json.WriteNumber("lora_dropout", 0);
        json.WriteBoolean("use_rslora", useRsLora);
        json.WriteBoolean("use_dora", false);
        json.WriteBoolean("fan_in_fan_out", false);
        json.WriteString("bias", "none");
        json.WriteBoolean("inference_mode", true);
        json.WriteStartArray("target_modules");
        foreach (string module in targetModules)
        {
            json.WriteStringValue(module);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>(in_features, out_features) of a projection.</summary>
    internal static (int In, int Out) Sizes(Qwen3TextConfig t, LoraTargets target)
    {
        int h = t.HiddenSize, q = t.NumAttentionHeads * t.HeadDim, kv = t.NumKeyValueHeads * t.HeadDim, inter = t.IntermediateSize;
        return target switch
        {
            LoraTargets.QProj => (h, q),
            LoraTargets.KProj or LoraTargets.VProj => (h, kv),
            LoraTargets.OProj => (q, h),
            LoraTargets.GateProj or LoraTargets.UpProj => (h, inter),
            LoraTargets.DownProj => (inter, h),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Expected exactly one LoRA target."),
        };
    }
}
