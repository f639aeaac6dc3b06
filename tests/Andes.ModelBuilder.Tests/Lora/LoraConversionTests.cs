using Andes.GenAI.Adapters;
using Andes.GenAI.Generation;
using Andes.GenAI.Models;
using Andes.ModelBuilder.Checkpoints;
using Andes.ModelBuilder.Conversion;
using Andes.ModelBuilder.Lora;
using Andes.ModelBuilder.Quantization;
using Andes.ModelBuilder.SafeTensors;
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
        Assert.Equal(2 * 7 * 2, lora.Count(p => p.Key.Contains(".lora_", StringComparison.Ordinal)));
        NodeMetadata a = lora[LoraParameterNames.A(1, LoraTargets.OProj)];
        Assert.Equal([128, -1], a.Dimensions);
        Assert.Equal("model.layers.1.self_attn.o_proj.lora_rank", a.SymbolicDimensions[1]);
        NodeMetadata b = lora[LoraParameterNames.B(0, LoraTargets.GateProj)];
        Assert.Equal([-1, 128], b.Dimensions);
        Assert.DoesNotContain(session.InputMetadata.Keys, k => k.Contains("lora", StringComparison.Ordinal)); // not required inputs

        LoraModelManifest manifest = LoraModelManifest.TryLoad(TestModels.TinyFp32LoraModel)!;
        Assert.Equal(LoraTargets.All, manifest.Targets);
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
        Assert.Equal([64L, 4], contents.Parameters.Single(p => p.Name == LoraParameterNames.A(0, LoraTargets.QProj)).Dims);

        // A model folder without LoRA targets cannot take adapters.
        LoraAdapterException ex = Assert.Throws<LoraAdapterException>(() => LoraAdapterConverter.Convert(TestModels.TinyPeftAdapter(7), TestModels.TinyFp32Model, file));
        Assert.Contains("andes_lora.json", ex.Message, StringComparison.Ordinal);
    }
}
