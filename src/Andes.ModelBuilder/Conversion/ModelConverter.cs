using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Andes.GenAI;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Converts a Hugging Face AndesVL checkpoint (config.json + safetensors + tokenizer files) into an ONNX Runtime GenAI
/// model folder: <c>embedding.onnx</c>, <c>decoder.onnx</c> (weights in external data files), <c>genai_config.json</c>,
/// <c>tokenizer.json</c>, <c>tokenizer_config.json</c>, <c>andes_conversion.json</c> (the per-tensor log) and, when the
/// decoder takes LoRA inputs, <c>andes_lora.json</c> (<see cref="LoraModelManifest"/>); when the checkpoint has a
/// <c>vision_config</c>, also <c>vision.onnx</c> (the AIMv2 or SigLIP2 tower and the connector) and
/// <c>processor_config.json</c>, and the embedding graph takes <c>image_features</c>. Tensors are streamed one at a
/// time, so peak memory stays near the largest single tensor.
/// </summary>
public static class ModelConverter
{
    /// <summary>The decoder graph's file name.</summary>
    public const string DecoderFileName = "decoder.onnx";

    /// <summary>The embedding graph's file name.</summary>
    public const string EmbeddingFileName = "embedding.onnx";

    /// <summary>The vision graph's file name (written for checkpoints with a <c>vision_config</c>).</summary>
    public const string VisionFileName = VisionGraphContract.FileName;

    /// <summary>The image processor configuration's file name (written with the vision graph).</summary>
    public const string ProcessorConfigFileName = ProcessorConfigWriter.FileName;

    /// <summary>The base decoder's file name: the decoder without LoRA branches, written beside a decoder with LoRA inputs.</summary>
    public const string BaseDecoderFileName = "decoder_base.onnx";

    /// <summary>The conversion log's file name (ours, outside the GenAI schema).</summary>
    public const string ConversionLogFileName = "andes_conversion.json";

    /// <summary>Converts <paramref name="checkpointDirectory"/> into a model folder at <paramref name="outputDirectory"/>.</summary>
    /// <param name="checkpointDirectory">The Hugging Face checkpoint folder.</param>
    /// <param name="outputDirectory">The model folder to write (created; existing model files are overwritten).</param>
    /// <param name="options">Precision and quantisation options; null for the defaults (int4, block 32, symmetric).</param>
    /// <param name="progress">Receives a report after each tensor.</param>
    /// <param name="cancellationToken">Cancels between tensors.</param>
    /// <returns>What was written, with per-tensor quantisation errors.</returns>
    /// <exception cref="CheckpointException">The checkpoint is missing, corrupt, or lacks a tensor or has a wrong shape (named in the message).</exception>
    public static ModelConversionResult Convert(
        string checkpointDirectory,
        string outputDirectory,
        ModelConversionOptions? options = null,
        IProgress<ModelConversionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options = (options ?? new ModelConversionOptions()).Clone();
        options.Validate();
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        using StagedModelFolder staged = StagedModelFolder.Begin(outputDirectory, options.Overwrite);
        outputDirectory = staged.Staging; // everything below writes beside the output; Commit moves it into place
        var stopwatch = Stopwatch.StartNew();
        AndesVLConfig config = AndesVLConfig.Load(checkpointDirectory);
        Qwen3TextConfig text = config.TextConfig;
        int contextLength = options.ContextLength ?? text.MaxPositionEmbeddings;

        using ITensorSource source = SafeTensorsCheckpoint.Open(checkpointDirectory);
        CheckLanguageModelTensors(source, text, checkpointDirectory);
        if (config.VisionConfig is not null && !options.Layout.TokenIdsInput)
        {
            CheckVisionTensors(source, config, checkpointDirectory);
        }

        // A decoder that takes token ids has no embedding graph to scatter image features into: text-only. A text-only
        // checkpoint gets that layout (ONNX Runtime GenAI's for language models: model type qwen3), so the folder runs in
        // ONNX Runtime GenAI too, LoRA adapters included; an embedding graph with no vision graph has no model type there.
        if (config.VisionConfig is null)
        {
            options.Layout.TokenIdsInput = true;
        }

        AndesVisionConfig? vision = options.Layout.TokenIdsInput ? null : config.VisionConfig;
        Directory.CreateDirectory(outputDirectory);
        int tensorsTotal = 1 + (text.NumHiddenLayers * Qwen3TensorNames.TensorsPerLayer) + 2;
        if (vision is not null)
        {
            tensorsTotal += config.IsSigLip2 ? SigLip2VisionGraph.CountTensors(vision) : AimV2VisionGraph.CountTensors(vision);
        }

        var context = new ConversionContext(source, options, tensorsTotal, EstimateWeights(source, vision is not null, text.TieWordEmbeddings), progress, cancellationToken);
        string version = typeof(ModelConverter).Assembly.GetName().Version?.ToString() ?? "0";
        var metadata = new Dictionary<string, string>
        {
            ["andes.source_model_type"] = config.ModelType,
            ["andes.precision"] = options.Precision.ToString(),
        };
        if (options.LoraTargets != LoraTargets.None)
        {
            metadata["andes.lora_targets"] = string.Join(",", TargetModules(options.LoraTargets));
        }

        DecoderLayout layout = options.Layout;
        if (!layout.TokenIdsInput)
        {
            context.Stage = "embedding";
            using var g = new OnnxGraphBuilder("andesvl_embedding", Path.Combine(outputDirectory, EmbeddingFileName + ".data"));
            new EmbeddingGraph(text, context, withImageFeatures: vision is not null).Build(g);
            g.Save(Path.Combine(outputDirectory, EmbeddingFileName), version, metadata);
        }

        if (vision is not null)
        {
            context.Stage = "vision";
            using var g = new OnnxGraphBuilder("andesvl_vision", Path.Combine(outputDirectory, VisionFileName + ".data"));
            if (config.IsSigLip2)
            {
                new SigLip2VisionGraph(vision, text.HiddenSize, context).Build(g);
            }
            else
            {
                new AimV2VisionGraph(vision, text.HiddenSize, context).Build(g);
            }

            g.Save(Path.Combine(outputDirectory, VisionFileName), version, metadata);
            ProcessorConfigWriter.Write(checkpointDirectory, outputDirectory, vision, config.IsSigLip2);
        }

        context.Stage = "decoder";
        SharedWeightsSection? shared = null;
        string basePath = Path.Combine(outputDirectory, BaseDecoderFileName);
        using (var g = new OnnxGraphBuilder("andesvl_decoder", Path.Combine(outputDirectory, DecoderFileName + ".data")))
        {
            new Qwen3DecoderGraph(text, context, contextLength).Build(g);
            g.Save(Path.Combine(outputDirectory, DecoderFileName), version, metadata);
            if (context.LoraBranches.Count > 0)
            {
                // The same graph without the branches, on the same weights: what the engine runs with no adapter active.
                var baseMetadata = metadata.Where(m => m.Key != "andes.lora_targets").ToDictionary(m => m.Key, m => m.Value);
                g.SaveVariant(basePath, version, baseMetadata, graph => LoraGraphStripper.Strip(graph, context.LoraBranches, context.FlatReshapes, context.FlatShapeSubstitutions));
                shared = new SharedWeightsSection
                {
                    File = DecoderFileName + ".data",
                    Tensors = [.. g.ExternalTensors().Select(t => new SharedWeightTensor { Name = t.Name, DataType = t.DataType, Dims = t.Dims, Offset = t.Offset, Length = t.Length })],
                };
            }
        }

        context.Stage = "config";
        GenerationDefaults defaults = GenerationDefaults.Load(checkpointDirectory, text);
        CreateGenAIConfig(text, contextLength, defaults, layout, vision).Save(outputDirectory);
        CreateFolderConfig(config, vision).Save(outputDirectory);
        TokenizerJsonBuilder.WriteModelFolderFiles(checkpointDirectory, outputDirectory);
        WriteConversionLog(outputDirectory, config, options, context.Records, version);
        if (options.LoraTargets != LoraTargets.None)
        {
            LoraModelManifest manifest = CreateLoraManifest(text, options.LoraTargets, source);
            manifest.FusedLoraA = options.FuseLoraA;
            manifest.BaseDecoder = BaseDecoderFileName;
            manifest.SharedWeights = shared;
            manifest.Save(outputDirectory);
        }

        context.EndStage();
        context.Complete();

        long bytes = Directory.EnumerateFiles(outputDirectory).Sum(f => new FileInfo(f).Length);
        staged.Commit($"Andes.ModelBuilder {version}", cancellationToken);
        return new ModelConversionResult
        {
            OutputDirectory = staged.Target,
            Tensors = context.Records,
            BytesWritten = bytes,
            Elapsed = stopwatch.Elapsed,
            StageElapsed = context.StageTimes,
            PeakWorkingSetBytes = PeakWorkingSet(),
        };
    }

    /// <summary>
    /// The checkpoint elements a conversion reads, for the progress fraction: the language model's tensors (the
    /// embedding twice when lm_head is tied to it, as it gets its own quantised copy) and, with vision, the rest.
    /// </summary>
    private static long EstimateWeights(ITensorSource source, bool withVision, bool tiedLmHead)
    {
        long total = 0;
        foreach (string name in source.Names)
        {
            if (withVision || name.StartsWith(Qwen3TensorNames.Prefix, StringComparison.Ordinal))
            {
                total += source.GetInfo(name).ElementCount;
            }
        }

        if ((tiedLmHead || !source.Contains(Qwen3TensorNames.LmHead)) && source.Contains(Qwen3TensorNames.EmbedTokens))
        {
            total += source.GetInfo(Qwen3TensorNames.EmbedTokens).ElementCount;
        }

        return total;
    }

    /// <summary>
    /// The ONNX Runtime GenAI model type a folder declares: the type whose contract its graphs follow, so that ONNX
    /// Runtime GenAI 0.20 runs it unmodified. With vision, <c>phi3v</c>: one vision run over all images'
    /// patches, an embedding graph that scatters the features into the placeholder rows, and 1-D positions counted by the
    /// decoder itself (the Qwen-VL types would send 3-D mRoPE positions to a decoder with a <c>position_ids</c> input,
    /// which AndesVL's Qwen3 does not use). Text-only, <c>qwen3</c>: a decoder that takes token ids.
    /// </summary>
    public static string GenAIModelType(bool hasVision) => hasVision ? "phi3v" : "qwen3";

    /// <summary>Builds the <c>andes_config.json</c> of a converted model: what the GenAI schema has no field for.</summary>
    internal static AndesFolderConfig CreateFolderConfig(AndesVLConfig config, AndesVisionConfig? vision) => new()
    {
        Architecture = "andesvl",
        SourceModelType = config.ModelType,
        VisionEndTokenId = vision is null ? null : AndesFolderConfig.DefaultVisionEndTokenId,
    };

    /// <summary>Builds the <c>genai_config.json</c> of a converted model (only fields ONNX Runtime GenAI's schema knows).</summary>
    internal static GenAIConfig CreateGenAIConfig(Qwen3TextConfig text, int contextLength, GenerationDefaults defaults, DecoderLayout layout, AndesVisionConfig? vision = null) => new()
    {
        Model = new GenAIModelConfig
        {
            Type = GenAIModelType(vision is not null),
            ContextLength = contextLength,
            VocabSize = text.VocabSize,
            BosTokenId = defaults.BosTokenId,
            PadTokenId = defaults.PadTokenId,
            EosTokenId = defaults.EosTokenIds,
            ImageTokenId = EmbeddingGraph.ImageTokenId,
            VisionStartTokenId = 151652,
            BotTokenId = 151657, // <tool_call>: ONNX Runtime GenAI's tokenizer reports it (GetBotTokenId)
            EotTokenId = 151658, // </tool_call>
            Embedding = layout.TokenIdsInput ? null : new GenAIEmbeddingConfig
            {
                Filename = EmbeddingFileName,
                Inputs = new GenAIEmbeddingInputs { InputIds = EmbeddingGraph.InputIds, ImageFeatures = vision is null ? null : EmbeddingGraph.ImageFeatures },
                Outputs = new GenAIEmbeddingOutputs { InputsEmbeds = EmbeddingGraph.InputsEmbeds },
            },
            Vision = vision is null ? null : new GenAIVisionConfig
            {
                Filename = VisionFileName,
                ConfigFilename = ProcessorConfigFileName,
                SpatialMergeSize = vision.HiddenStride,
                PatchSize = vision.PatchSize,
                Inputs = new GenAIVisionInputs { PixelValues = VisionGraphContract.PixelValues, ImageGridThw = VisionGraphContract.ImageGridThw },
                Outputs = new GenAIVisionOutputs { ImageFeatures = VisionGraphContract.ImageFeatures },
            },
            Decoder = new GenAIDecoderConfig
            {
                Filename = DecoderFileName,
                SessionOptions = new GenAISessionOptions { LogId = "andes", ProviderOptions = [] },
                HeadSize = text.HeadDim,
                HiddenSize = text.HiddenSize,
                NumAttentionHeads = text.NumAttentionHeads,
                NumKeyValueHeads = text.NumKeyValueHeads,
                NumHiddenLayers = text.NumHiddenLayers,
                Inputs = new GenAIDecoderInputs
                {
                    InputIds = layout.TokenIdsInput ? Qwen3DecoderGraph.InputIds : null,
                    InputsEmbeds = layout.TokenIdsInput ? null : Qwen3DecoderGraph.InputsEmbeds,
                    AttentionMask = Qwen3DecoderGraph.AttentionMask,
                    PositionIds = layout.PositionIds ? Qwen3DecoderGraph.PositionIds : null,
                    PastKeyNames = layout.CombinedKeyValues ? null : Qwen3DecoderGraph.PastKeyFormat,
                    PastValueNames = layout.CombinedKeyValues ? null : Qwen3DecoderGraph.PastValueFormat,
                    PastNames = layout.CombinedKeyValues ? Qwen3DecoderGraph.PastCombinedFormat : null,
                },
                Outputs = new GenAIDecoderOutputs
                {
                    Logits = Qwen3DecoderGraph.Logits,
                    PresentKeyNames = layout.CombinedKeyValues ? null : Qwen3DecoderGraph.PresentKeyFormat,
                    PresentValueNames = layout.CombinedKeyValues ? null : Qwen3DecoderGraph.PresentValueFormat,
                    PresentNames = layout.CombinedKeyValues ? Qwen3DecoderGraph.PresentCombinedFormat : null,
                },
            },
        },
        Search = new GenAISearchConfig
        {
            DoSample = defaults.DoSample,
            Temperature = defaults.Temperature,
            TopK = defaults.TopK,
            TopP = defaults.TopP,
            RepetitionPenalty = defaults.RepetitionPenalty,
            MaxLength = contextLength,
            PastPresentShareBuffer = layout.SharesPastPresentBuffer,
        },
    };

    /// <summary>Builds <c>andes_lora.json</c>: the targets, their sizes and the base model's fingerprint.</summary>
    internal static LoraModelManifest CreateLoraManifest(Qwen3TextConfig text, LoraTargets targets, ITensorSource source)
    {
        (string fingerprint, int modelVersion) = BaseModelFingerprint.Compute(text, source);
        var manifest = new LoraModelManifest
        {
            NumLayers = text.NumHiddenLayers,
            TargetModules = [.. TargetModules(targets)],
            BaseModelFingerprint = fingerprint,
            ModelVersion = modelVersion,
        };
        foreach (LoraTargets target in LoraParameterNames.SingleTargets.Where(t => (targets & t) != 0))
        {
            (int k, int n) = LoraAdapterGenerator.Sizes(text, target);
            manifest.Modules[LoraParameterNames.ModuleName(target)] = new LoraModuleShape(k, n);
        }

        return manifest;
    }

    private static IEnumerable<string> TargetModules(LoraTargets targets) =>
        LoraParameterNames.SingleTargets.Where(t => (targets & t) != 0).Select(LoraParameterNames.ModuleName);

    private static void CheckLanguageModelTensors(ITensorSource source, Qwen3TextConfig t, string checkpoint)
    {
        var expected = new List<(string Name, long[] Shape)>
        {
            (Qwen3TensorNames.EmbedTokens, [t.VocabSize, t.HiddenSize]),
            (Qwen3TensorNames.FinalNorm, [t.HiddenSize]),
        };
        if (!t.TieWordEmbeddings)
        {
            expected.Add((Qwen3TensorNames.LmHead, [t.VocabSize, t.HiddenSize]));
        }

        for (int i = 0; i < t.NumHiddenLayers; i++)
        {
            expected.Add((Qwen3TensorNames.QProj(i), [t.NumAttentionHeads * t.HeadDim, t.HiddenSize]));
            expected.Add((Qwen3TensorNames.KProj(i), [t.NumKeyValueHeads * t.HeadDim, t.HiddenSize]));
            expected.Add((Qwen3TensorNames.VProj(i), [t.NumKeyValueHeads * t.HeadDim, t.HiddenSize]));
            expected.Add((Qwen3TensorNames.OProj(i), [t.HiddenSize, t.NumAttentionHeads * t.HeadDim]));
            expected.Add((Qwen3TensorNames.QNorm(i), [t.HeadDim]));
            expected.Add((Qwen3TensorNames.KNorm(i), [t.HeadDim]));
            expected.Add((Qwen3TensorNames.GateProj(i), [t.IntermediateSize, t.HiddenSize]));
            expected.Add((Qwen3TensorNames.UpProj(i), [t.IntermediateSize, t.HiddenSize]));
            expected.Add((Qwen3TensorNames.DownProj(i), [t.HiddenSize, t.IntermediateSize]));
            expected.Add((Qwen3TensorNames.InputNorm(i), [t.HiddenSize]));
            expected.Add((Qwen3TensorNames.PostAttentionNorm(i), [t.HiddenSize]));
        }

        var missing = expected.Where(e => !source.Contains(e.Name)).Select(e => e.Name).ToList();
        if (missing.Count > 0)
        {
            string list = string.Join(", ", missing.Take(5)) + (missing.Count > 5 ? $" and {missing.Count - 5} more" : string.Empty);
            throw new CheckpointException($"Checkpoint '{checkpoint}' lacks {missing.Count} language-model tensor(s): {list}.", checkpoint, missing[0]);
        }

        foreach ((string name, long[] shape) in expected)
        {
            TensorInfo info = source.GetInfo(name);
            if (!info.Shape.SequenceEqual(shape))
            {
                throw new CheckpointException(
                    $"Tensor '{name}' in '{info.FilePath}' has shape [{string.Join(", ", info.Shape)}]; config.json implies [{string.Join(", ", shape)}].",
                    info.FilePath,
                    name);
            }
        }
    }

    /// <summary>Checks the tower's and connector's tensors (names and shapes as the generator writes them) before anything is written.</summary>
    private static void CheckVisionTensors(ITensorSource source, AndesVLConfig config, string checkpoint)
    {
        List<CheckpointTensorSpec> expected;
        try
        {
            expected = CheckpointGenerator.GetTensorSpecs(config).Where(s => !s.Name.StartsWith(Qwen3TensorNames.Prefix, StringComparison.Ordinal)).ToList();
        }
        catch (ArgumentException ex)
        {
            throw new CheckpointException($"Checkpoint '{checkpoint}': {ex.Message}", Path.Combine(checkpoint, "config.json"), innerException: ex);
        }

        var missing = expected.Where(e => !source.Contains(e.Name)).Select(e => e.Name).ToList();
        if (missing.Count > 0)
        {
            string list = string.Join(", ", missing.Take(5)) + (missing.Count > 5 ? $" and {missing.Count - 5} more" : string.Empty);
            throw new CheckpointException($"Checkpoint '{checkpoint}' has a vision_config but lacks {missing.Count} vision tensor(s): {list}.", checkpoint, missing[0]);
        }

        foreach (CheckpointTensorSpec spec in expected)
        {
            TensorInfo info = source.GetInfo(spec.Name);
            if (!info.Shape.SequenceEqual(spec.Shape))
            {
                throw new CheckpointException(
                    $"Tensor '{spec.Name}' in '{info.FilePath}' has shape [{string.Join(", ", info.Shape)}]; config.json implies [{string.Join(", ", spec.Shape)}].",
                    info.FilePath,
                    spec.Name);
            }
        }
    }

    private static void WriteConversionLog(string outputDirectory, AndesVLConfig config, ModelConversionOptions options, IReadOnlyList<TensorConversionRecord> records, string version)
    {
        var tensors = new JsonArray();
        foreach (TensorConversionRecord r in records)
        {
            tensors.Add((JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["shape"] = new JsonArray(r.Shape.Select(d => (JsonNode)d).ToArray()),
                ["precision"] = r.Precision.ToString(),
                ["bytes"] = r.BytesWritten,
                ["max_abs_error"] = r.MaxAbsError,
                ["mean_abs_error"] = r.MeanAbsError,
            });
        }

        var log = new JsonObject
        {
            ["builder"] = $"Andes.ModelBuilder {version}",
            ["source_model_type"] = config.ModelType,
            ["precision"] = options.Precision.ToString(),
            ["lm_head_precision"] = options.EffectiveLmHeadPrecision.ToString(),
            ["embedding_precision"] = options.EffectiveEmbeddingPrecision.ToString(),
            ["block_size"] = options.BlockSize,
            ["symmetric"] = options.Symmetric,
            ["accuracy_level"] = options.AccuracyLevel,
            ["lora_targets"] = new JsonArray(TargetModules(options.LoraTargets).Select(t => (JsonNode)t).ToArray()),
            ["tensors"] = tensors,
        };
        File.WriteAllText(Path.Combine(outputDirectory, ConversionLogFileName), log.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
