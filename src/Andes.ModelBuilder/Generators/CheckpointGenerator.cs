using System.Buffers;
using System.Text.Json;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Generates seeded random AndesVL checkpoints in the Hugging Face layout (<c>config.json</c> plus
/// <c>model.safetensors</c>, or shards and <c>model.safetensors.index.json</c>) with the real tensor names, for tests
/// and benchmarks. Weights are drawn and written chunk by chunk, so even the 4B shape needs only a few MB of memory.
/// </summary>
/// <remarks>
/// Each tensor's values come from its own stream seeded by the global seed and the tensor's name: the same seed gives
/// byte-identical files, and a tensor's values do not depend on which other tensors exist.
/// <para>
/// Initialisation keeps the random model well-behaved rather than mimicking trained statistics. Weight matrices have
/// standard deviation gain/sqrt(fan_in): gain 2 for the projections that read the normed residual (q, k, v, gate,
/// up) and 1 for those that write back to it (o, down); that is 0.02 to 0.06 for the published shapes and larger for
/// <c>tiny</c>. Norm weights are 1 with 0.1 noise, and the (tied) embedding has standard deviation 2/sqrt(hidden),
/// which gives logits with a standard deviation of about 2 after the final norm. With these, each layer changes the
/// residual as much as the token embedding does, so greedy decoding neither echoes the input token nor settles on one
/// token (measured on <c>tiny</c> and <c>1b</c> with a reference forward pass); with 0.02 everywhere the tiny model's
/// layers are too weak and it repeats its input.
/// </para>
/// <para>
/// The vision tower (AIMv2 under <c>vision_encoder.</c>, or SigLIP2 under <c>vision_encoder.vision_model.</c> for a
/// SigLIP2 model type) and the connector (<c>mlp.0</c>, <c>mlp.2</c>) follow the same rules: the patch projection has
/// gain 1 over the 3*p*p pixels of a patch, the absolute position table standard deviation 0.5 (so it visibly moves
/// each patch, and a wrong interpolation shows), block linears gain 1 (read: attention logits of unit spread) and
/// 1/sqrt(2 * layers) (write: the whole trunk moves the residual about as much as its input), norm weights 1 with 0.1
/// noise, biases 0.1. With the language model's gains (2 and 1) a 24-block random tower is chaotic: changing one patch
/// changed every other token as much as its own, and int4 weights decorrelated the output from the float one; with
/// these, changing one patch moves its own token about 8x more than its neighbours (measured on 24 blocks), and int4
/// weights change the features by about 14% (rms). The connector's first linear has gain 1 and its second a gain that
/// gives image rows about the spread of the token embeddings (2/sqrt(hidden)), so image and text rows weigh alike in
/// the decoder.
/// </para>
/// </remarks>
public static class CheckpointGenerator
{
    private const int ChunkElements = 1 << 18;
    private const float LogitSpread = 2f;
    private const float ReadGain = 2f;
    private const float WriteGain = 1f;
    private const float VisionReadGain = 1f;
    private const float NormNoise = 0.1f;
    private const float PositionSpread = 0.5f;
    private const float VisionBiasSpread = 0.1f;

    /// <summary>Generates a checkpoint of a named shape into <paramref name="outputDirectory"/>.</summary>
    /// <param name="outputDirectory">The folder (created if missing; earlier <c>config.json</c> and weight files are replaced).</param>
    /// <param name="shape">The model shape.</param>
    /// <param name="options">Seed, element type, shard size, progress and asset writers; null for defaults.</param>
    /// <param name="cancellationToken">Stops the generation between chunks (partial weight files are deleted).</param>
    /// <returns>What was written.</returns>
    public static GeneratedCheckpoint Generate(string outputDirectory, CheckpointShape shape, CheckpointGeneratorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Generate(outputDirectory, shape.CreateConfig(), options, cancellationToken);
    }

    /// <summary>Generates a checkpoint for any configuration into <paramref name="outputDirectory"/>.</summary>
    /// <param name="outputDirectory">The folder (created if missing; earlier <c>config.json</c> and weight files are replaced).</param>
    /// <param name="config">The model configuration; not modified (the written copy gets <c>torch_dtype</c> from the options).</param>
    /// <param name="options">Seed, element type, shard size, progress and asset writers; null for defaults.</param>
    /// <param name="cancellationToken">Stops the generation between chunks (partial weight files are deleted).</param>
    /// <returns>What was written.</returns>
    /// <exception cref="ArgumentException">An element type other than BF16, F16 or F32, or an invalid configuration.</exception>
    public static GeneratedCheckpoint Generate(string outputDirectory, AndesVLConfig config, CheckpointGeneratorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentNullException.ThrowIfNull(config);
        options ??= new CheckpointGeneratorOptions();
        if (options.DataType is not (TensorDataType.BFloat16 or TensorDataType.Float16 or TensorDataType.Float32))
        {
            throw new ArgumentException($"Checkpoints are generated as BF16, F16 or F32, not {options.DataType}.", nameof(options));
        }

        AndesVLConfig written = Copy(config);
        written.TorchDtype = options.DataType.ToTorchName();
        written.TextConfig.TorchDtype = written.TorchDtype;
        IReadOnlyList<CheckpointTensorSpec> specs = GetTensorSpecs(written);

        string directory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(directory);
        DeleteEarlierWeights(directory);
        written.Save(directory);

        var files = new List<string> { "config.json" };
        long totalBytes;
        using (ShardedSafeTensorsWriter writer = ShardedSafeTensorsWriter.Create(
            directory,
            specs.Select(s => new TensorDeclaration(s.Name, options.DataType, s.Shape)),
            new ShardedSafeTensorsWriterOptions { MaxShardSize = options.MaxShardSize }))
        {
            WriteWeights(writer, specs, options, cancellationToken);
            writer.Complete();
            files.AddRange(writer.FileNames);
            if (writer.IndexFileName is not null)
            {
                files.Add(writer.IndexFileName);
            }

            totalBytes = writer.TotalBytes;
        }

        foreach (ICheckpointAssetWriter assets in options.AssetWriters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            assets.WriteAssets(directory, written);
        }

        return new GeneratedCheckpoint(directory, written, files, specs.Count, totalBytes);
    }

    /// <summary>
    /// The tensors a checkpoint of <paramref name="config"/> holds, in the order they are written, with their real
    /// Hugging Face names and shapes and how their values are drawn.
    /// </summary>
    /// <param name="config">The model configuration.</param>
    /// <exception cref="ArgumentException">A non-positive dimension in the configuration.</exception>
    public static IReadOnlyList<CheckpointTensorSpec> GetTensorSpecs(AndesVLConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var specs = new List<CheckpointTensorSpec>();
        Qwen3TextConfig text = config.TextConfig ?? throw new ArgumentException("The configuration has no text_config.", nameof(config));
        AddLanguageModel(specs, text);
        if (config.VisionConfig is { } vision)
        {
            if (config.IsSigLip2)
            {
                AddSigLip2(specs, vision);
            }
            else
            {
                AddAimV2(specs, vision);
            }

            AddConnector(specs, vision, text.HiddenSize);
        }

        return specs;
    }

    private static void CheckVision(AndesVisionConfig v)
    {
        Positive(v.HiddenSize, "vision_config.hidden_size");
        Positive(v.IntermediateSize, "vision_config.intermediate_size");
        Positive(v.NumHiddenLayers, "vision_config.num_hidden_layers");
        Positive(v.NumAttentionHeads, "vision_config.num_attention_heads");
        Positive(v.NumChannels, "vision_config.num_channels");
        Positive(v.PatchSize, "vision_config.patch_size");
        Positive(v.ImageSize, "vision_config.image_size");
        Positive(v.HiddenStride, "vision_config.hidden_stride");
        if (v.HiddenSize % v.NumAttentionHeads != 0)
        {
            throw new ArgumentException(
                $"Field 'vision_config.hidden_size' ({v.HiddenSize}) must be a multiple of 'vision_config.num_attention_heads' ({v.NumAttentionHeads}).", "config");
        }
    }

    private static void AddAimV2(List<CheckpointTensorSpec> specs, AndesVisionConfig v)
    {
        CheckVision(v);
        long hv = v.HiddenSize, inter = v.IntermediateSize, p = v.PatchSize, grid = v.ImageSize / v.PatchSize;
        float writeGain = VisionWriteGain(v);
        TensorInitializer norm = TensorInitializer.NormWeight(NormNoise);
        TensorInitializer bias = TensorInitializer.Normal(VisionBiasSpread);
        const string Pre = "vision_encoder.preprocessor.";
        specs.Add(new($"{Pre}patchifier.proj.weight", [hv, v.NumChannels, p, p], TensorInitializer.Normal(1f / MathF.Sqrt(v.NumChannels * p * p))));
        specs.Add(new($"{Pre}patchifier.proj.bias", [hv], bias));
        specs.Add(new($"{Pre}patchifier.norm.weight", [hv], norm));
        if (v.PreserveOriginalPe)
        {
            specs.Add(new($"{Pre}pos_embed", [1, grid * grid, hv], TensorInitializer.Normal(PositionSpread)));
        }

        for (int i = 0; i < v.NumHiddenLayers; i++)
        {
            string block = $"vision_encoder.trunk.blocks.{i}.";
            specs.Add(Linear($"{block}attn.qkv.weight", 3 * hv, hv, VisionReadGain));
            if (v.QkvBias)
            {
                specs.Add(new($"{block}attn.qkv.bias", [3 * hv], bias));
            }

            specs.Add(Linear($"{block}attn.proj.weight", hv, hv, writeGain));
            if (v.UseBias)
            {
                specs.Add(new($"{block}attn.proj.bias", [hv], bias));
            }

            specs.Add(new($"{block}norm_1.weight", [hv], norm));
            specs.Add(Linear($"{block}mlp.fc1.weight", inter, hv, VisionReadGain));
            specs.Add(Linear($"{block}mlp.fc2.weight", hv, inter, writeGain));
            specs.Add(Linear($"{block}mlp.fc3.weight", inter, hv, VisionReadGain));
            if (v.UseBias)
            {
                specs.Add(new($"{block}mlp.fc1.bias", [inter], bias));
                specs.Add(new($"{block}mlp.fc2.bias", [hv], bias));
                specs.Add(new($"{block}mlp.fc3.bias", [inter], bias));
            }

            specs.Add(new($"{block}norm_2.weight", [hv], norm));
        }

        specs.Add(new("vision_encoder.trunk.post_trunk_norm.weight", [hv], norm));
    }

    private static void AddSigLip2(List<CheckpointTensorSpec> specs, AndesVisionConfig v)
    {
        CheckVision(v);
        long hv = v.HiddenSize, inter = v.IntermediateSize, pixels = (long)v.NumChannels * v.PatchSize * v.PatchSize, grid = v.ImageSize / v.PatchSize;
        float writeGain = VisionWriteGain(v);
        TensorInitializer norm = TensorInitializer.NormWeight(NormNoise);
        TensorInitializer bias = TensorInitializer.Normal(VisionBiasSpread);
        const string Model = "vision_encoder.vision_model.";
        specs.Add(Linear($"{Model}embeddings.proj.weight", hv, pixels, 1f));
        specs.Add(new($"{Model}embeddings.proj.bias", [hv], bias));
        specs.Add(new($"{Model}embeddings.pos_embed.weight", [grid * grid, hv], TensorInitializer.Normal(PositionSpread)));
        for (int i = 0; i < v.NumHiddenLayers; i++)
        {
            string layer = $"{Model}encoder.layers.{i}.";
            specs.Add(new($"{layer}layer_norm1.weight", [hv], norm));
            specs.Add(new($"{layer}layer_norm1.bias", [hv], bias));
            foreach (string proj in new[] { "q", "k", "v" })
            {
                specs.Add(Linear($"{layer}self_attn.{proj}_proj.weight", hv, hv, VisionReadGain));
                specs.Add(new($"{layer}self_attn.{proj}_proj.bias", [hv], bias));
            }

            specs.Add(Linear($"{layer}self_attn.out_proj.weight", hv, hv, writeGain));
            specs.Add(new($"{layer}self_attn.out_proj.bias", [hv], bias));
            specs.Add(new($"{layer}layer_norm2.weight", [hv], norm));
            specs.Add(new($"{layer}layer_norm2.bias", [hv], bias));
            specs.Add(Linear($"{layer}mlp.fc1.weight", inter, hv, VisionReadGain));
            specs.Add(new($"{layer}mlp.fc1.bias", [inter], bias));
            specs.Add(Linear($"{layer}mlp.fc2.weight", hv, inter, writeGain));
            specs.Add(new($"{layer}mlp.fc2.bias", [hv], bias));
        }

        specs.Add(new($"{Model}post_layernorm.weight", [hv], norm));
        specs.Add(new($"{Model}post_layernorm.bias", [hv], bias));
    }

    /// <summary>The gain of the vision blocks' residual writes: 1/sqrt(2 * layers), so the trunk changes the stream about as much as its input.</summary>
    private static float VisionWriteGain(AndesVisionConfig v) => 1f / MathF.Sqrt(2f * v.NumHiddenLayers);

    private static void AddConnector(List<CheckpointTensorSpec> specs, AndesVisionConfig v, int textHidden)
    {
        long merged = (long)v.HiddenSize * v.HiddenStride * v.HiddenStride;
        specs.Add(Linear("mlp.0.weight", merged, merged, 1f));
        specs.Add(new("mlp.0.bias", [merged], TensorInitializer.Normal(VisionBiasSpread)));

        // GELU of unit-variance inputs has an RMS of about 0.65: this gain gives rows of about 2/sqrt(hidden).
        float embeddingSpread = LogitSpread / MathF.Sqrt(textHidden);
        specs.Add(Linear("mlp.2.weight", textHidden, merged, embeddingSpread / 0.65f));
        specs.Add(new("mlp.2.bias", [textHidden], TensorInitializer.Normal(0.1f * embeddingSpread)));
    }

    private static void AddLanguageModel(List<CheckpointTensorSpec> specs, Qwen3TextConfig t)
    {
        Positive(t.HiddenSize, "text_config.hidden_size");
        Positive(t.IntermediateSize, "text_config.intermediate_size");
        Positive(t.NumHiddenLayers, "text_config.num_hidden_layers");
        Positive(t.NumAttentionHeads, "text_config.num_attention_heads");
        Positive(t.NumKeyValueHeads, "text_config.num_key_value_heads");
        Positive(t.HeadDim, "text_config.head_dim");
        Positive(t.VocabSize, "text_config.vocab_size");

        long h = t.HiddenSize;
        long qDim = (long)t.NumAttentionHeads * t.HeadDim;
        long kvDim = (long)t.NumKeyValueHeads * t.HeadDim;
        long inter = t.IntermediateSize;
        TensorInitializer embedding = TensorInitializer.Normal(LogitSpread / MathF.Sqrt(h));
        TensorInitializer norm = TensorInitializer.NormWeight(NormNoise);

        const string Model = "language_model.model.";
        specs.Add(new($"{Model}embed_tokens.weight", [t.VocabSize, h], embedding));
        for (int i = 0; i < t.NumHiddenLayers; i++)
        {
            string layer = $"{Model}layers.{i}.";
            specs.Add(new($"{layer}input_layernorm.weight", [h], norm));
            specs.Add(Linear($"{layer}self_attn.q_proj.weight", qDim, h, ReadGain));
            specs.Add(Linear($"{layer}self_attn.k_proj.weight", kvDim, h, ReadGain));
            specs.Add(Linear($"{layer}self_attn.v_proj.weight", kvDim, h, ReadGain));
            specs.Add(new($"{layer}self_attn.q_norm.weight", [t.HeadDim], norm));
            specs.Add(new($"{layer}self_attn.k_norm.weight", [t.HeadDim], norm));
            specs.Add(Linear($"{layer}self_attn.o_proj.weight", h, qDim, WriteGain));
            specs.Add(new($"{layer}post_attention_layernorm.weight", [h], norm));
            specs.Add(Linear($"{layer}mlp.gate_proj.weight", inter, h, ReadGain));
            specs.Add(Linear($"{layer}mlp.up_proj.weight", inter, h, ReadGain));
            specs.Add(Linear($"{layer}mlp.down_proj.weight", h, inter, WriteGain));
        }

        specs.Add(new($"{Model}norm.weight", [h], norm));
        if (!t.TieWordEmbeddings)
        {
            specs.Add(new("language_model.lm_head.weight", [t.VocabSize, h], embedding));
        }
    }

    /// <summary>A PyTorch Linear weight [out, in] drawn from N(0, (gain/sqrt(in))^2): unit-variance inputs give outputs of standard deviation gain.</summary>
    private static CheckpointTensorSpec Linear(string name, long outFeatures, long inFeatures, float gain) =>
        new(name, [outFeatures, inFeatures], TensorInitializer.Normal(gain / MathF.Sqrt(inFeatures)));

    private static void Positive(int value, string field)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"Field '{field}' must be positive (got {value}).", "config");
        }
    }

    private static void WriteWeights(ShardedSafeTensorsWriter writer, IReadOnlyList<CheckpointTensorSpec> specs, CheckpointGeneratorOptions options, CancellationToken cancellationToken)
    {
        float[] chunk = ArrayPool<float>.Shared.Rent(ChunkElements);
        try
        {
            foreach (CheckpointTensorSpec spec in specs)
            {
                SeededNormalStream values = SeededNormalStream.ForTensor(options.Seed, spec.Name);
                for (long remaining = spec.ElementCount; remaining > 0;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int n = (int)Math.Min(ChunkElements, remaining);
                    Span<float> span = chunk.AsSpan(0, n);
                    values.Fill(span, spec.Initializer.Mean, spec.Initializer.StandardDeviation);
                    writer.WriteFloat32(span);
                    remaining -= n;
                    options.Progress?.Report(new CheckpointGenerationProgress(writer.BytesWritten, writer.TotalBytes, spec.Name));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(chunk);
        }
    }

    private static AndesVLConfig Copy(AndesVLConfig config) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(config, AndesModelBuilderJsonContext.Default.AndesVLConfig), AndesModelBuilderJsonContext.Default.AndesVLConfig)
        ?? throw new InvalidOperationException("The configuration could not be copied.");

    /// <summary>Removes weights a previous generation left (other shard counts would otherwise linger).</summary>
    private static void DeleteEarlierWeights(string directory)
    {
        foreach (string file in Directory.EnumerateFiles(directory, "model*.safetensors"))
        {
            string name = Path.GetFileName(file);
            if (name == SafeTensorsCheckpoint.SingleFileName || System.Text.RegularExpressions.Regex.IsMatch(name, @"^model-\d{5}-of-\d{5}\.safetensors$"))
            {
                File.Delete(file);
            }
        }

        File.Delete(Path.Combine(directory, SafeTensorsCheckpoint.IndexFileName));
    }
}
