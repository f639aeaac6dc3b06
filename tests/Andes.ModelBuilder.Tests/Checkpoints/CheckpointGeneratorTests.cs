using System.Text.Json;
using Andes.ModelBuilder;
using Andes.ModelBuilder.Tests.SafeTensors;

namespace Andes.ModelBuilder.Tests.Checkpoints;

public class CheckpointGeneratorTests
{
    [Fact]
    public void Tiny_checkpoint_has_exactly_the_language_model_vision_and_connector_tensors_with_their_shapes()
    {
        using var dir = new TempDirectory();
        GeneratedCheckpoint result = CheckpointGenerator.Generate(dir.Path, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = 3 });

        var expected = new Dictionary<string, long[]>
        {
            ["language_model.model.embed_tokens.weight"] = [151936, 64],
            ["language_model.model.norm.weight"] = [64],
        };
        for (int i = 0; i < 2; i++)
        {
            string p = $"language_model.model.layers.{i}.";
            expected[p + "input_layernorm.weight"] = [64];
            expected[p + "post_attention_layernorm.weight"] = [64];
            expected[p + "self_attn.q_proj.weight"] = [128, 64];
            expected[p + "self_attn.k_proj.weight"] = [64, 64];
            expected[p + "self_attn.v_proj.weight"] = [64, 64];
            expected[p + "self_attn.o_proj.weight"] = [64, 128];
            expected[p + "self_attn.q_norm.weight"] = [32];
            expected[p + "self_attn.k_norm.weight"] = [32];
            expected[p + "mlp.gate_proj.weight"] = [128, 64];
            expected[p + "mlp.up_proj.weight"] = [128, 64];
            expected[p + "mlp.down_proj.weight"] = [64, 128];
        }

        // AIMv2: hidden 64, intermediate 96, patch 14, image 56 (a 4 x 4 position table); the connector maps 4 x 64 to 64.
        expected["vision_encoder.preprocessor.patchifier.proj.weight"] = [64, 3, 14, 14];
        expected["vision_encoder.preprocessor.patchifier.proj.bias"] = [64];
        expected["vision_encoder.preprocessor.patchifier.norm.weight"] = [64];
        expected["vision_encoder.preprocessor.pos_embed"] = [1, 16, 64];
        for (int i = 0; i < 2; i++)
        {
            string b = $"vision_encoder.trunk.blocks.{i}.";
            expected[b + "attn.qkv.weight"] = [192, 64];
            expected[b + "attn.proj.weight"] = [64, 64];
            expected[b + "norm_1.weight"] = [64];
            expected[b + "norm_2.weight"] = [64];
            expected[b + "mlp.fc1.weight"] = [96, 64];
            expected[b + "mlp.fc3.weight"] = [96, 64];
            expected[b + "mlp.fc2.weight"] = [64, 96];
        }

        expected["vision_encoder.trunk.post_trunk_norm.weight"] = [64];
        expected["mlp.0.weight"] = [256, 256];
        expected["mlp.0.bias"] = [256];
        expected["mlp.2.weight"] = [64, 256];
        expected["mlp.2.bias"] = [64];

        Assert.Equal(["config.json", "model.safetensors"], result.Files);
        Assert.Equal(expected.Count, result.TensorCount);
        using SafeTensorsCheckpoint checkpoint = SafeTensorsCheckpoint.Open(dir.Path);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), checkpoint.Names);
        foreach ((string name, long[] shape) in expected)
        {
            TensorInfo info = checkpoint.GetInfo(name);
            Assert.Equal(shape, info.Shape);
            Assert.Equal(TensorDataType.BFloat16, info.DataType);
        }

        Assert.False(checkpoint.Contains("language_model.lm_head.weight"));
        Assert.Equal(expected.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b)) * 2, result.TensorBytes);
        Assert.Equal("pt", checkpoint.Files[0].Metadata["format"]);
    }

    [Fact]
    public void Config_json_has_the_real_fields_and_round_trips_through_AndesVLConfig_Load()
    {
        using var dir = new TempDirectory();
        CheckpointGenerator.Generate(dir.Path, CheckpointShape.Tiny, new CheckpointGeneratorOptions { DataType = TensorDataType.Float16 });

        AndesVLConfig config = AndesVLConfig.Load(dir.Path);
        Assert.Equal(["AndesVLForConditionalGeneration"], config.Architectures);
        Assert.Equal("andesvl-aimv2-qwen3", config.ModelType);
        Assert.Equal("float16", config.TorchDtype);
        Qwen3TextConfig t = config.TextConfig;
        Assert.Equal((64, 128, 2, 4, 2, 32), (t.HiddenSize, t.IntermediateSize, t.NumHiddenLayers, t.NumAttentionHeads, t.NumKeyValueHeads, t.HeadDim));
        Assert.Equal((151936, 4096, true, 1e-6, 1e6), (t.VocabSize, t.MaxPositionEmbeddings, t.TieWordEmbeddings, t.RmsNormEps, t.RopeTheta));
        Assert.Equal((151643, 151645, "silu", "qwen3"), (t.BosTokenId, t.EosTokenId, t.HiddenAct, t.ModelType));
        AndesVisionConfig v = config.VisionConfig!;
        Assert.Equal((64, 96, 2, 2, 14, 56, 3), (v.HiddenSize, v.IntermediateSize, v.NumHiddenLayers, v.NumAttentionHeads, v.PatchSize, v.ImageSize, v.NumChannels));
        Assert.Equal((2, true, false, "two_dim", 1e-5), (v.HiddenStride, v.PreserveOriginalPe, v.DisableRope, v.InterpolatePeMethod, v.RmsNormEps));
        Assert.Null(v.FullAttBlockIndexes);

        using JsonDocument raw = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "config.json")));
        JsonElement text = raw.RootElement.GetProperty("text_config");
        foreach (string field in new[] { "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim", "vocab_size", "rms_norm_eps", "rope_theta", "max_position_embeddings", "tie_word_embeddings", "bos_token_id", "eos_token_id", "hidden_act" })
        {
            Assert.True(text.TryGetProperty(field, out _), field);
        }

        JsonElement vision = raw.RootElement.GetProperty("vision_config");
        foreach (string field in new[] { "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads", "num_channels", "patch_size", "image_size", "rms_norm_eps", "qkv_bias", "use_bias", "hidden_stride", "window_size", "temporal_patch_size", "interpolate_pe_method", "preserve_original_pe", "disable_rope", "min_pixels", "max_pixels" })
        {
            Assert.True(vision.TryGetProperty(field, out _), field);
        }

        using SafeTensorsCheckpoint checkpoint = SafeTensorsCheckpoint.Open(dir.Path);
        Assert.All(checkpoint.Names, n => Assert.Equal(TensorDataType.Float16, checkpoint.GetInfo(n).DataType));
    }

    [Fact]
    public void The_same_seed_gives_identical_bytes_and_another_seed_different_weights()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        using var c = new TempDirectory();
        CheckpointGenerator.Generate(a.Path, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = 11 });
        CheckpointGenerator.Generate(b.Path, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = 11 });
        CheckpointGenerator.Generate(c.Path, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = 12 });

        Assert.Equal(File.ReadAllBytes(a.File("config.json")), File.ReadAllBytes(b.File("config.json")));
        byte[] first = File.ReadAllBytes(a.File("model.safetensors"));
        Assert.True(first.AsSpan().SequenceEqual(File.ReadAllBytes(b.File("model.safetensors"))), "same seed, different bytes");
        byte[] other = File.ReadAllBytes(c.File("model.safetensors"));
        Assert.Equal(first.Length, other.Length);
        Assert.False(first.AsSpan().SequenceEqual(other), "different seeds, same bytes");
        Assert.Equal(File.ReadAllBytes(a.File("config.json")), File.ReadAllBytes(c.File("config.json")));

        using SafeTensorsCheckpoint ca = SafeTensorsCheckpoint.Open(a.Path);
        using SafeTensorsCheckpoint cc = SafeTensorsCheckpoint.Open(c.Path);
        foreach (string name in ca.Names.Where(n => n.EndsWith("proj.weight", StringComparison.Ordinal)))
        {
            Assert.False(ca.ReadFloat32(name, ca.GetInfo(name).Shape).AsSpan().SequenceEqual(cc.ReadFloat32(name, cc.GetInfo(name).Shape)), name);
        }
    }

    [Fact]
    public void A_tensor_depends_only_on_the_seed_and_its_name()
    {
        using var two = new TempDirectory();
        using var one = new TempDirectory();
        AndesVLConfig oneLayer = SmallVocabularyTiny();
        oneLayer.TextConfig.NumHiddenLayers = 1;
        CheckpointGenerator.Generate(two.Path, SmallVocabularyTiny(), new CheckpointGeneratorOptions { Seed = 5 });
        CheckpointGenerator.Generate(one.Path, oneLayer, new CheckpointGeneratorOptions { Seed = 5 });

        using SafeTensorsCheckpoint a = SafeTensorsCheckpoint.Open(two.Path);
        using SafeTensorsCheckpoint b = SafeTensorsCheckpoint.Open(one.Path);
        Assert.Equal(a.Names.Count - 11, b.Names.Count);
        foreach (string name in b.Names)
        {
            long[] shape = b.GetInfo(name).Shape;
            Assert.True(a.ReadFloat32(name, shape).AsSpan().SequenceEqual(b.ReadFloat32(name, shape)), name);
        }
    }

    [Fact]
    public void The_value_stream_does_not_depend_on_chunking()
    {
        float[] whole = new float[1000];
        SeededNormalStream s1 = SeededNormalStream.ForTensor(9, "t");
        s1.Fill(whole, 0, 1);
        float[] pieces = new float[1000];
        SeededNormalStream s2 = SeededNormalStream.ForTensor(9, "t");
        s2.Fill(pieces.AsSpan(0, 1), 0, 1);
        s2.Fill(pieces.AsSpan(1, 636), 0, 1);
        s2.Fill(pieces.AsSpan(637), 0, 1);
        Assert.Equal(whole, pieces);

        float[] otherName = new float[1000];
        SeededNormalStream s3 = SeededNormalStream.ForTensor(9, "u");
        s3.Fill(otherName, 0, 1);
        Assert.NotEqual(whole, otherName);

        // FNV-1a 64 reference values.
        Assert.Equal(0xcbf29ce484222325UL, SeededNormalStream.Fnv1a64(string.Empty));
        Assert.Equal(0xaf63dc4c8601ec8cUL, SeededNormalStream.Fnv1a64("a"));
    }

    [Fact]
    public void Values_follow_the_intended_distributions()
    {
        float[] z = new float[200_000];
        SeededNormalStream stream = SeededNormalStream.ForTensor(1, "stats");
        stream.Fill(z, 0, 1);
        double mean = z.Average();
        double std = Math.Sqrt(z.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.99, 1.01);
        Assert.InRange(z.Count(v => Math.Abs(v) > 2) / (double)z.Length, 0.040, 0.052); // normal: 4.55 %
        Assert.InRange(z.Max(), 3.5, 4.9);

        using var dir = new TempDirectory();
        CheckpointGenerator.Generate(dir.Path, SmallVocabularyTiny(), new CheckpointGeneratorOptions { Seed = 2, DataType = TensorDataType.Float32 });
        using SafeTensorsCheckpoint checkpoint = SafeTensorsCheckpoint.Open(dir.Path);
        AssertStats("language_model.model.layers.0.mlp.down_proj.weight", 0, 1 / Math.Sqrt(128));
        AssertStats("language_model.model.layers.1.self_attn.q_proj.weight", 0, 2 / Math.Sqrt(64));
        AssertStats("language_model.model.layers.1.self_attn.o_proj.weight", 0, 1 / Math.Sqrt(128));
        AssertStats("language_model.model.embed_tokens.weight", 0, 2 / Math.Sqrt(64));
        AssertStats("language_model.model.norm.weight", 1, 0.1, tolerance: 0.35);
        float[] qNorm = checkpoint.ReadFloat32("language_model.model.layers.0.self_attn.q_norm.weight", 32);
        Assert.True(qNorm.Distinct().Count() > 20, "q_norm weights should not all be equal");

        void AssertStats(string name, double expectedMean, double expectedStd, double tolerance = 0.05)
        {
            float[] values = checkpoint.ReadFloat32(name, checkpoint.GetInfo(name).Shape);
            double m = values.Average();
            double s = Math.Sqrt(values.Select(v => (v - m) * (v - m)).Average());
            Assert.InRange(m, expectedMean - (3 * expectedStd / Math.Sqrt(values.Length)) - 1e-4, expectedMean + (3 * expectedStd / Math.Sqrt(values.Length)) + 1e-4);
            Assert.InRange(s, expectedStd * (1 - tolerance), expectedStd * (1 + tolerance));
        }
    }

    [Fact]
    public void The_tiny_model_gives_spread_logits_and_greedy_decoding_does_not_repeat_one_token()
    {
        using var dir = new TempDirectory();
        CheckpointGenerator.Generate(dir.Path, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = 0 });
        AndesVLConfig config = AndesVLConfig.Load(dir.Path);
        using SafeTensorsCheckpoint checkpoint = SafeTensorsCheckpoint.Open(dir.Path);
        var model = new Qwen3ReferenceForward(checkpoint, config.TextConfig);

        // "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n" in Qwen3 ids.
        var tokens = new List<int> { 151644, 872, 198, 9707, 151645, 198, 151644, 77091, 198 };
        int promptLength = tokens.Count;
        float[] first = model.LastLogits(tokens);
        float mean = first.Average();
        double std = Math.Sqrt(first.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(std, 1.0, 6.0);

        for (int step = 0; step < 12; step++)
        {
            float[] logits = step == 0 ? first : model.LastLogits(tokens);
            tokens.Add(Array.IndexOf(logits, logits.Max()));
        }

        int[] generated = tokens.Skip(promptLength).ToArray();
        Assert.True(generated.Distinct().Count() >= 6, $"greedy decoding is degenerate: {string.Join(", ", generated)}");
    }

    [Fact]
    public void Sharded_generation_holds_the_same_tensors_as_a_single_file()
    {
        using var single = new TempDirectory();
        using var sharded = new TempDirectory();
        var options = new CheckpointGeneratorOptions { Seed = 8 };
        CheckpointGenerator.Generate(single.Path, SmallVocabularyTiny(), options);
        GeneratedCheckpoint result = CheckpointGenerator.Generate(sharded.Path, SmallVocabularyTiny(), new CheckpointGeneratorOptions { Seed = 8, MaxShardSize = 600_000 });

        Assert.Contains("model.safetensors.index.json", result.Files);
        Assert.Contains("model-00001-of-00002.safetensors", result.Files);
        Assert.Contains("model-00002-of-00002.safetensors", result.Files);
        using SafeTensorsCheckpoint a = SafeTensorsCheckpoint.Open(single.Path);
        using SafeTensorsCheckpoint b = SafeTensorsCheckpoint.Open(sharded.Path);
        Assert.Equal(a.Names, b.Names);
        Assert.Equal(2, b.Files.Count);
        foreach (string name in a.Names)
        {
            long[] shape = a.GetInfo(name).Shape;
            Assert.True(a.ReadFloat32(name, shape).AsSpan().SequenceEqual(b.ReadFloat32(name, shape)), name);
        }

        // Regenerating into the same folder replaces the earlier layout instead of leaving stale shards.
        CheckpointGenerator.Generate(sharded.Path, SmallVocabularyTiny(), options);
        string[] weightFiles = Directory.GetFiles(sharded.Path).Select(f => Path.GetFileName(f)!).Where(f => f.Contains("safetensors", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["model.safetensors"], weightFiles);
    }

    [Fact]
    public void Progress_and_asset_writers_are_called()
    {
        using var dir = new TempDirectory();
        var reports = new List<CheckpointGenerationProgress>();
        var assets = new RecordingAssetWriter();
        var input = CheckpointShape.Tiny.CreateConfig();
        GeneratedCheckpoint result = CheckpointGenerator.Generate(dir.Path, input, new CheckpointGeneratorOptions
        {
            DataType = TensorDataType.Float32,
            Progress = new SynchronousProgress(reports.Add),
            AssetWriters = { assets },
        });

        Assert.NotEmpty(reports);
        Assert.Equal(result.TensorBytes, reports[^1].BytesWritten);
        Assert.All(reports, r => Assert.Equal(result.TensorBytes, r.TotalBytes));
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.BytesWritten < p.Second.BytesWritten));
        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.Equal("mlp.2.bias", reports[^1].TensorName); // the connector is written last

        Assert.Equal(dir.Path, assets.Directory);
        Assert.True(assets.SawConfigAndWeights);
        Assert.Equal("float32", assets.Config?.TorchDtype);
        Assert.Equal("bfloat16", input.TorchDtype); // the caller's object is not modified
        Assert.True(File.Exists(dir.File("extra.txt")));
        Assert.DoesNotContain("extra.txt", result.Files);
    }

    [Fact]
    public void Cancellation_leaves_no_weights_behind()
    {
        using var dir = new TempDirectory();
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.BytesWritten > 1_000_000)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            CheckpointGenerator.Generate(dir.Path, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Progress = progress }, cts.Token));
        Assert.False(File.Exists(dir.File("model.safetensors")));
    }

    [Fact]
    public void Unsupported_options_and_configs_are_rejected()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentException>(() => CheckpointGenerator.Generate(dir.Path, CheckpointShape.Tiny, new CheckpointGeneratorOptions { DataType = TensorDataType.Int8 }));
        AndesVLConfig bad = CheckpointShape.Tiny.CreateConfig();
        bad.TextConfig.HeadDim = 0;
        Assert.Contains("head_dim", Assert.Throws<ArgumentException>(() => CheckpointGenerator.GetTensorSpecs(bad)).Message);
    }

    [Fact]
    public void An_untied_config_gets_an_lm_head()
    {
        AndesVLConfig config = CheckpointShape.Tiny.CreateConfig();
        config.TextConfig.TieWordEmbeddings = false;
        CheckpointTensorSpec head = Assert.Single(CheckpointGenerator.GetTensorSpecs(config), s => s.Name == "language_model.lm_head.weight");
        Assert.Equal([151936L, 64], head.Shape);
    }

    /// <summary>The tiny shape with a 4096-token vocabulary: the same layers, a fraction of the bytes.</summary>
    private static AndesVLConfig SmallVocabularyTiny()
    {
        AndesVLConfig config = CheckpointShape.Tiny.CreateConfig();
        config.TextConfig.VocabSize = 4096;
        return config;
    }

    private sealed class SynchronousProgress(Action<CheckpointGenerationProgress> report) : IProgress<CheckpointGenerationProgress>
    {
        public void Report(CheckpointGenerationProgress value) => report(value);
    }

    private sealed class RecordingAssetWriter : ICheckpointAssetWriter
    {
        public string? Directory { get; private set; }

        public AndesVLConfig? Config { get; private set; }

        public bool SawConfigAndWeights { get; private set; }

        public void WriteAssets(string checkpointDirectory, AndesVLConfig config)
        {
            Directory = checkpointDirectory;
            Config = config;
            SawConfigAndWeights = File.Exists(Path.Combine(checkpointDirectory, "config.json")) && File.Exists(Path.Combine(checkpointDirectory, "model.safetensors"));
            File.WriteAllText(Path.Combine(checkpointDirectory, "extra.txt"), "x");
        }
    }
}
