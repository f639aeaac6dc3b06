using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;
using Andes.Testing.Reference;
using Microsoft.ML.OnnxRuntime;

namespace Andes.ModelBuilder.Tests.Lora;

/// <summary>Decoders with LoRA inputs: the graph inputs, the manifest, the int4 path, the fingerprint.</summary>
public sealed class LoraConversionTests
{
    private static readonly int[] Prompt = [151644, 872, 198, 9707, 11, 151645, 198, 151644, 77091, 198];

    [Fact]
    public void TargetedLinearsGetOverridableRankZeroInputsAndAManifest()
    {
        using var session = new InferenceSession(Path.Combine(TestModels.TinyFp32LoraModel, ModelConverter.DecoderFileName));
        IReadOnlyDictionary<string, NodeMetadata> lora = session.OverridableInitializerMetadata;
        Assert.Equal(2 * (4 + 7), lora.Count(p => p.Key.Contains(".lora_", StringComparison.Ordinal))); // fused q/k/v and gate/up A
        NodeMetadata qkv = lora["model.layers.0.self_attn.qkv_proj.lora_A.weight"];
        Assert.Equal([64, -1], qkv.Dimensions);
        Assert.Equal("model.layers.0.self_attn.qkv_proj.lora_rank", qkv.SymbolicDimensions[1]);
        Assert.True(lora.ContainsKey("model.layers.1.mlp.gate_up_proj.lora_A.weight"));
        Assert.False(lora.ContainsKey(LoraParameterNames.A(0, LoraTargets.QProj)));
        NodeMetadata a = lora[LoraParameterNames.A(1, LoraTargets.OProj)];
        Assert.Equal([128, -1], a.Dimensions);
        Assert.Equal("model.layers.1.self_attn.o_proj.lora_rank", a.SymbolicDimensions[1]);
        NodeMetadata b = lora[LoraParameterNames.B(0, LoraTargets.GateProj)];
        Assert.Equal([-1, 128], b.Dimensions);
        Assert.DoesNotContain(session.InputMetadata.Keys, k => k.Contains("lora", StringComparison.Ordinal)); // not required inputs

        LoraModelManifest manifest = LoraModelManifest.TryLoad(TestModels.TinyFp32LoraModel)!;
        Assert.Equal(LoraTargets.All, manifest.Targets);
        Assert.True(manifest.FusedLoraA);
        Assert.Equal(2, manifest.NumLayers);
        Assert.Equal(new LoraModuleShape(64, 128), manifest.GetShape(LoraTargets.QProj));
        Assert.Equal(new LoraModuleShape(128, 64), manifest.GetShape(LoraTargets.OProj));
        Assert.Equal(new LoraModuleShape(128, 64), manifest.GetShape(LoraTargets.DownProj));
        Assert.Equal(32, manifest.BaseModelFingerprint!.Length);
        Assert.NotEqual(0, manifest.ModelVersion);

        // The base decoder beside it: the same graph without the branches, on the same weights file.
        Assert.Equal(ModelConverter.BaseDecoderFileName, manifest.BaseDecoder);
        Assert.Equal("decoder.onnx.data", manifest.SharedWeights!.File);
        Assert.Contains(manifest.SharedWeights.Tensors, t => t.Name == "language_model.model.layers.0.self_attn.q_proj.weight_t");
        using var baseSession = new InferenceSession(Path.Combine(TestModels.TinyFp32LoraModel, ModelConverter.BaseDecoderFileName));
        Assert.DoesNotContain(baseSession.OverridableInitializerMetadata.Keys, k => k.Contains("lora", StringComparison.Ordinal));
        Assert.Equal(session.InputMetadata.Keys.Order(), baseSession.InputMetadata.Keys.Order());
        Assert.Equal(session.OutputMetadata.Keys.Order(), baseSession.OutputMetadata.Keys.Order());
        Assert.False(File.Exists(Path.Combine(TestModels.TinyFp32Model, ModelConverter.BaseDecoderFileName)));

        // Node for node the decoder a conversion without LoRA targets writes (the 2-D layout's reshapes undone).
        static string[] OpTypes(string file) => [.. Andes.ModelBuilder.ModelProto.Parser.ParseFrom(File.ReadAllBytes(file)).Graph.Node.Select(n => n.OpType)];
        Assert.Equal(OpTypes(Path.Combine(TestModels.TinyFp32Model, ModelConverter.DecoderFileName)), OpTypes(Path.Combine(TestModels.TinyFp32LoraModel, ModelConverter.BaseDecoderFileName)));
        Assert.Contains("Gemm", OpTypes(Path.Combine(TestModels.TinyFp32LoraModel, ModelConverter.DecoderFileName)));

        // Without targets: no manifest and no LoRA inputs.
        Assert.Null(LoraModelManifest.TryLoad(TestModels.TinyFp32Model));
        using var plain = new InferenceSession(Path.Combine(TestModels.TinyFp32Model, ModelConverter.DecoderFileName));
        Assert.DoesNotContain(plain.OverridableInitializerMetadata.Keys, k => k.Contains("lora", StringComparison.Ordinal));
    }

    [Fact]
    public void AnInt4DecoderWithAnAdapterMatchesTheReferenceOnDequantisedMergedWeights()
    {
        using TemporaryDirectory dir = TestModels.CreateTemporaryDirectory();
        ModelConversionOptions options = TestModels.Int4Options;
        options.LoraTargets = LoraTargets.All;
        ModelConverter.Convert(TestModels.TinyCheckpoint, dir.Path, options);
        string peft = TestModels.TinyPeftAdapter(7);

        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        var quantization = new QuantizationOptions { Bits = 4, BlockSize = 32, Symmetric = true };
        Func<string, float[]?> exact = ReferenceWeights.FromTensorSource(source);
        Func<string, float[]?> layers = LoraMerge.WithAdapter(ReferenceWeights.WithQuantizedLinears(exact, config.TextConfig, quantization), peft);
        float[] lmHead = BlockQuantizer.Dequantize(BlockQuantizer.Quantize(exact("language_model.model.embed_tokens.weight")!, config.TextConfig.VocabSize, config.TextConfig.HiddenSize, quantization));
        float[] expected = new Qwen3ReferenceModel(config.TextConfig, name => name == "language_model.lm_head.weight" ? lmHead : layers(name)).CreateSession().ForwardLast(Prompt);

        using AndesModel model = AndesModel.Load(dir.Path);
        using LoraAdapter adapter = LoraAdapter.Load(model, peft);
        using var generator = new Generator(model, new GenerationOptions { MaxNewTokens = 1 }, adapter);
        generator.AppendTokens(Prompt);
        double diff = LogitAssert.MaxAbsDiff(generator.GetLogits(), expected);
        Assert.True(diff <= 1e-3, $"int4 + adapter logits differ from the reference by {diff}");
    }

    [Fact]
    public void FusedAndPerProjectionAInputsGiveTheSameLogits()
    {
        // The same checkpoint converted with one A input per projection (the layout before fusion) and with q/v only
        // (a two-member q/v group): each takes the PEFT adapter laid out for it, and the logits agree with the fused model's.
        using TemporaryDirectory unfused = TestModels.CreateTemporaryDirectory();
        ModelConversionOptions options = TestModels.Fp32LoraOptions;
        options.FuseLoraA = false;
        ModelConverter.Convert(TestModels.TinyCheckpoint, unfused.Path, options);
        Assert.False(LoraModelManifest.TryLoad(unfused.Path)!.FusedLoraA);
        using (var session = new InferenceSession(Path.Combine(unfused.Path, ModelConverter.DecoderFileName)))
        {
            Assert.Equal(2 * 7 * 2, session.OverridableInitializerMetadata.Count(p => p.Key.Contains(".lora_", StringComparison.Ordinal)));
        }

        string peft = TestModels.TinyPeftAdapter(7);
        float[] Logits(string modelDirectory, string adapterPath)
        {
            using AndesModel model = AndesModel.Load(modelDirectory);
            using LoraAdapter adapter = LoraAdapter.Load(model, adapterPath);
            using var generator = new Generator(model, new GenerationOptions { MaxNewTokens = 1 }, adapter);
            generator.AppendTokens(Prompt);
            return generator.GetLogits().ToArray();
        }

        float[] fused = Logits(TestModels.TinyFp32LoraModel, peft);
        Assert.True(LogitAssert.MaxAbsDiff(Logits(unfused.Path, peft), fused) <= 1e-5);

        // An .onnx_adapter converted for one layout is rejected by the other, naming the tensor.
        string file = Path.Combine(unfused.Path, "unfused.onnx_adapter");
        LoraAdapterConverter.Convert(peft, unfused.Path, file);
        Assert.True(LogitAssert.MaxAbsDiff(Logits(unfused.Path, file), fused) <= 1e-5);
        using AndesModel fusedModel = AndesModel.Load(TestModels.TinyFp32LoraModel);
        LoraAdapterException ex = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fusedModel, file));
        Assert.Equal(LoraParameterNames.A(0, LoraTargets.QProj), ex.TensorName);

        using TemporaryDirectory qv = TestModels.CreateTemporaryDirectory();
        options = TestModels.Fp32LoraOptions;
        options.LoraTargets = LoraTargets.QProj | LoraTargets.VProj;
        ModelConverter.Convert(TestModels.TinyCheckpoint, qv.Path, options);
        using (var session = new InferenceSession(Path.Combine(qv.Path, ModelConverter.DecoderFileName)))
        {
            Assert.Contains("model.layers.1.self_attn.qv_proj.lora_A.weight", session.OverridableInitializerMetadata.Keys);
        }

        string qvPeft = TestModels.TinyPeftAdapter(7, targets: LoraTargets.QProj | LoraTargets.VProj);
        string qvFile = Path.Combine(qv.Path, "qv.onnx_adapter");
        LoraAdapterConverter.Convert(qvPeft, qv.Path, qvFile);
        Assert.True(LogitAssert.MaxAbsDiff(Logits(qv.Path, qvFile), Logits(TestModels.TinyFp32LoraModel, qvPeft)) <= 1e-5);
    }

    [Fact]
    public void TheFingerprintIgnoresStorageTypeButNotWeights()
    {
        using TemporaryDirectory f32 = TestModels.CreateTemporaryDirectory();
        using TemporaryDirectory other = TestModels.CreateTemporaryDirectory();
        CheckpointGenerator.Generate(f32.Path, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = TestModels.TinySeed, DataType = TensorDataType.Float32, AssetWriters = [] });
        CheckpointGenerator.Generate(other.Path, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = TestModels.TinySeed + 1, AssetWriters = [] });
        string Fingerprint(string dir)
        {
            using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(dir);
            return BaseModelFingerprint.Compute(AndesVLConfig.Load(dir).TextConfig, source).Fingerprint;
        }

        string bf16 = Fingerprint(TestModels.TinyCheckpoint);
        Assert.Equal(bf16, Fingerprint(f32.Path));
        Assert.NotEqual(bf16, Fingerprint(other.Path));
        Assert.Equal(bf16, LoraModelManifest.TryLoad(TestModels.TinyFp32LoraModel)!.BaseModelFingerprint);
    }

    [Fact]
    public void ConvertedAdapterFilesCarryTheModelIdentityAndLoad()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string file = Path.Combine(temp.Path, "a.onnx_adapter");
        LoraAdapterConversionResult result = LoraAdapterConverter.Convert(TestModels.TinyPeftAdapter(7), TestModels.TinyFp32LoraModel, file, adapterVersion: 3);
        OnnxAdapterFormat.Contents contents = OnnxAdapterFormat.Read(File.ReadAllBytes(file), file);
        Assert.Equal(1, contents.FormatVersion);
        Assert.Equal(3, contents.AdapterVersion);
        Assert.Equal(LoraModelManifest.TryLoad(TestModels.TinyFp32LoraModel)!.ModelVersion, contents.ModelVersion);
        Assert.Equal(result.ModelVersion, contents.ModelVersion);
        Assert.All(contents.Parameters, p => Assert.Equal(0, p.DataOffset % 8));
        Assert.Equal([64L, 12], contents.Parameters.Single(p => p.Name == "model.layers.0.self_attn.qkv_proj.lora_A.weight").Dims);
        Assert.Equal([64L, 8], contents.Parameters.Single(p => p.Name == "model.layers.1.mlp.gate_up_proj.lora_A.weight").Dims);
        Assert.Equal([4L, 128], contents.Parameters.Single(p => p.Name == LoraParameterNames.B(0, LoraTargets.QProj)).Dims);

        // A model folder without LoRA targets cannot take adapters.
        LoraAdapterException ex = Assert.Throws<LoraAdapterException>(() => LoraAdapterConverter.Convert(TestModels.TinyPeftAdapter(7), TestModels.TinyFp32Model, file));
        Assert.Contains("andes_lora.json", ex.Message, StringComparison.Ordinal);
    }
}
