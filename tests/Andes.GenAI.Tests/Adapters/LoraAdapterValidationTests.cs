using System.Text.Json;
using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;
using Andes.Testing.Reference;

namespace Andes.GenAI.Tests.Adapters;

/// <summary>Adapters that do not fit the model are rejected at load, naming the tensor.</summary>
public sealed class LoraAdapterValidationTests(LoraModelFixture fixture) : IClassFixture<LoraModelFixture>
{
    private const string QA = PeftTestFolder.Prefix + "0.self_attn.q_proj.lora_A.weight";
    private const string QB = PeftTestFolder.Prefix + "0.self_attn.q_proj.lora_B.weight";

    [Fact]
    public void AValidHandMadeAdapterLoads()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        using LoraAdapter adapter = LoraAdapter.Load(fixture.Model, PeftTestFolder.Write(temp.Path, 4, PeftTestFolder.QPair()), "q");
        Assert.Equal("q", adapter.Name);
        Assert.Equal(LoraTargets.QProj, adapter.Targets);

        // The model fuses the A of q/k/v: q's A goes first, k's and v's parts are zero, their B zero rows of q's rank.
        Assert.Equal(["model.layers.0.self_attn.qkv_proj.lora_A.weight", LoraParameterNames.B(0, LoraTargets.QProj), LoraParameterNames.B(0, LoraTargets.KProj), LoraParameterNames.B(0, LoraTargets.VProj)], adapter.Parameters.Select(p => p.Name));
        Assert.Equal([64L, 12], adapter.Parameters[0].Shape);
        Assert.Equal([4L, 128], adapter.Parameters[1].Shape);
        Assert.Equal([4L, 64], adapter.Parameters[2].Shape);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteWeightsAreRefusedAtLoadNamingAdapterAndTensor(float value)
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string peft = PeftTestFolder.Write(Path.Combine(temp.Path, "peft"), 4, PeftTestFolder.QPair(), poison: (QB, 37, value));
        LoraAdapterException e = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, peft, "poisoned"));
        Assert.Equal(QB, e.TensorName);
        Assert.Contains("element 37", e.Message, StringComparison.Ordinal);
        Assert.Contains("adapter_model.safetensors", e.AdapterPath, StringComparison.Ordinal);

        // The same weights converted ahead (conversion refuses them too) and an .onnx_adapter poisoned afterwards.
        Assert.Throws<LoraAdapterException>(() => LoraAdapterConverter.Convert(peft, fixture.Model.Directory, Path.Combine(temp.Path, "x.onnx_adapter")));
        string clean = PeftTestFolder.Write(Path.Combine(temp.Path, "clean"), 4, PeftTestFolder.QPair());
        string file = LoraAdapterConverter.Convert(clean, fixture.Model.Directory, Path.Combine(temp.Path, "q.onnx_adapter")).OutputFile;
        byte[] bytes = File.ReadAllBytes(file);
        OnnxAdapterFormat.ParameterEntry last = OnnxAdapterFormat.Read(bytes, file).Parameters[^1];
        BitConverter.GetBytes(value).CopyTo(bytes, last.DataOffset + 8);
        File.WriteAllBytes(file, bytes);
        LoraAdapterException onnx = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, file));
        Assert.Equal(file, onnx.AdapterPath);
        Assert.Equal(last.Name, onnx.TensorName);
        Assert.Contains("element 2", onnx.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectionsOfOneGroupMayHaveDifferentRanks()
    {
        // q rank 2, v rank 4 (rank_pattern): the fused A is padded to rank 4 per member; logits equal the merged reference.
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        var tensors = new Dictionary<string, long[]>
        {
            [QA] = [2, 64],
            [QB] = [128, 2],
            [PeftTestFolder.Prefix + "0.self_attn.v_proj.lora_A.weight"] = [4, 64],
            [PeftTestFolder.Prefix + "0.self_attn.v_proj.lora_B.weight"] = [64, 4],
        };
        string peft = PeftTestFolder.Write(temp.Path, 4, tensors, rankPattern: new Dictionary<string, int> { ["q_proj"] = 2 });
        using LoraAdapter adapter = LoraAdapter.Load(fixture.Model, peft);
        Assert.Equal(4, adapter.Rank);
        Assert.Equal(LoraTargets.QProj | LoraTargets.VProj, adapter.Targets);
        Assert.Equal([64L, 12], adapter.Parameters[0].Shape);
        Assert.All(adapter.Parameters.Skip(1).Take(3), p => Assert.Equal(4L, p.Shape[0]));

        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        ReferenceSession reference = new Qwen3ReferenceModel(config.TextConfig, LoraMerge.WithAdapter(ReferenceWeights.FromTensorSource(source), peft)).CreateSession();
        using var generator = new Generator(fixture.Model, new GenerationOptions { MaxNewTokens = 1 }, adapter);
        int[] prompt = [151644, 872, 198, 9707, 11, 1246, 525];
        generator.AppendTokens(prompt);
        double diff = LogitAssert.MaxAbsDiff(generator.GetLogits(), reference.ForwardLast(prompt));
        Assert.True(diff <= 1e-4, $"logits differ by {diff}");
    }

    [Fact]
    public void AnOnnxAdapterWithOneAPerProjectionIsRejectedByAFusedModel()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string file = Path.Combine(temp.Path, "unfused.onnx_adapter");
        File.WriteAllBytes(file, OnnxAdapterFormat.Write([new LoraParameter(LoraParameterNames.A(0, LoraTargets.QProj), [64, 2], new float[128]), new LoraParameter(LoraParameterNames.B(0, LoraTargets.QProj), [2, 128], new float[256])], 1, 0));
        LoraAdapterException ex = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, file));
        Assert.Equal(LoraParameterNames.A(0, LoraTargets.QProj), ex.TensorName);
        Assert.Contains("model.layers.0.self_attn.qkv_proj.lora_A.weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("convert-adapter", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFusedAWhoseWidthIsNotAMultipleOfItsMembersIsRejected()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string file = Path.Combine(temp.Path, "odd.onnx_adapter");
        const string Fused = "model.layers.0.self_attn.qkv_proj.lora_A.weight";
        File.WriteAllBytes(file, OnnxAdapterFormat.Write(
            [
                new LoraParameter(Fused, [64, 5], new float[320]),
                new LoraParameter(LoraParameterNames.B(0, LoraTargets.QProj), [2, 128], new float[256]),
                new LoraParameter(LoraParameterNames.B(0, LoraTargets.KProj), [2, 64], new float[128]),
                new LoraParameter(LoraParameterNames.B(0, LoraTargets.VProj), [2, 64], new float[128]),
            ],
            1,
            0));
        LoraAdapterException ex = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, file));
        Assert.Equal(Fused, ex.TensorName);
        Assert.Contains("3 x r", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongInFeaturesIsRejectedNamingTheTensor()
    {
        var tensors = PeftTestFolder.QPair();
        tensors[QA] = [4, 32];
        LoraAdapterException ex = Reject(tensors);
        Assert.Equal(LoraParameterNames.A(0, LoraTargets.QProj), ex.TensorName);
        Assert.Contains("[32, 4]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[64, r]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongOutFeaturesIsRejectedNamingTheTensor()
    {
        var tensors = PeftTestFolder.QPair();
        tensors[QB] = [64, 4]; // k_proj's size on q_proj
        LoraAdapterException ex = Reject(tensors);
        Assert.Equal(LoraParameterNames.B(0, LoraTargets.QProj), ex.TensorName);
        Assert.Contains("[4, 64]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[r, 128]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RanksOfAAndBThatDisagreeAreRejected()
    {
        var tensors = PeftTestFolder.QPair();
        tensors[QB] = [128, 8];
        LoraAdapterException ex = Reject(tensors);
        Assert.Equal(QB, ex.TensorName);
        Assert.Contains("rank 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARankOtherThanTheConfigsIsRejected()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        LoraAdapterException ex = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, PeftTestFolder.Write(temp.Path, 16, PeftTestFolder.QPair(rank: 4))));
        Assert.Equal(QA, ex.TensorName);
        Assert.Contains("rank 16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHalfPairIsRejected()
    {
        var tensors = PeftTestFolder.QPair();
        tensors.Remove(QB);
        LoraAdapterException ex = Reject(tensors);
        Assert.Equal(QA, ex.TensorName);
        Assert.Contains("partner", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALayerTheModelDoesNotHaveIsRejected()
    {
        LoraAdapterException ex = Reject(PeftTestFolder.QPair(layer: 5));
        Assert.Equal(LoraParameterNames.A(5, LoraTargets.QProj), ex.TensorName);
        Assert.Contains("2 layers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VisionTowerTensorsAreRejected()
    {
        var tensors = PeftTestFolder.QPair();
        tensors["base_model.model.vision_encoder.trunk.blocks.0.attn.qkv.lora_A.weight"] = [4, 64];
        LoraAdapterException ex = Reject(tensors);
        Assert.Equal("base_model.model.vision_encoder.trunk.blocks.0.attn.qkv.lora_A.weight", ex.TensorName);
        Assert.Contains("vision", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAdapterForAnotherBaseModelIsRejected()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string peft = PeftTestFolder.Write(temp.Path, 4, PeftTestFolder.QPair(), new Dictionary<string, string> { ["andes.base_model_fingerprint"] = "0123456789abcdef0123456789abcdef" });
        LoraAdapterException ex = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, peft));
        Assert.Contains("0123456789abcdef0123456789abcdef", ex.Message, StringComparison.Ordinal);

        // The same check on an .onnx_adapter: its model_version is the base model's identity.
        string file = Path.Combine(temp.Path, "other.onnx_adapter");
        File.WriteAllBytes(file, OnnxAdapterFormat.Write([new LoraParameter(LoraParameterNames.A(0, LoraTargets.QProj), [64, 2], new float[128]), new LoraParameter(LoraParameterNames.B(0, LoraTargets.QProj), [2, 128], new float[256])], 1, 12345));
        ex = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, file));
        Assert.Contains("model_version 12345", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnnxAdapterNamesThatAreNotModelInputsAreRejected()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string file = Path.Combine(temp.Path, "olive.onnx_adapter");
        const string Wrong = "base_model.model.layers.0.self_attn.q_proj.lora_A.weight";
        File.WriteAllBytes(file, OnnxAdapterFormat.Write([new LoraParameter(Wrong, [64, 2], new float[128])], 1, 0));
        LoraAdapterException ex = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, file));
        Assert.Equal(Wrong, ex.TensorName);
        Assert.Contains("model.layers.0.", ex.Message, StringComparison.Ordinal); // the hint shows the right naming
    }

    [Fact]
    public void NonFloatAndTruncatedOnnxAdaptersAreRejected()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string a = LoraParameterNames.A(0, LoraTargets.QProj), b = LoraParameterNames.B(0, LoraTargets.QProj);
        byte[] bytes = OnnxAdapterFormat.Write([new LoraParameter(a, [64, 2], new float[128]), new LoraParameter(b, [2, 128], new float[256])], 1, 0);
        OnnxAdapterFormat.Contents contents = OnnxAdapterFormat.Read(bytes, "memory");
        Assert.Equal(2, contents.Parameters.Count);
        Assert.Equal(0, contents.Parameters[0].DataOffset % 8);

        string truncated = Path.Combine(temp.Path, "truncated.onnx_adapter");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 3)]);
        Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, truncated));

        string notAdapter = Path.Combine(temp.Path, "plain.onnx_adapter");
        File.WriteAllText(notAdapter, "this is not a flatbuffer at all");
        Assert.Contains("TORT", Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, notAdapter)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelWithoutLoraInputsRejectsEveryAdapter()
    {
        LoraAdapterException ex = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.BaseModel, TestModels.TinyPeftAdapter(7)));
        Assert.Contains("no LoRA inputs", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvertingForAModelThatLacksATargetIsRejectedNamingTheTensor()
    {
        // A model folder whose manifest targets only q and v: the converter checks against it without loading the model.
        using TemporaryDirectory model = TestModels.CreateTemporaryDirectory();
        string manifest = File.ReadAllText(Path.Combine(TestModels.TinyFp32LoraModel, LoraModelManifest.FileName));
        var json = System.Text.Json.Nodes.JsonNode.Parse(manifest)!.AsObject();
        json["targets"] = new System.Text.Json.Nodes.JsonArray("q_proj", "v_proj");
        File.WriteAllText(Path.Combine(model.Path, LoraModelManifest.FileName), json.ToJsonString());

        LoraAdapterException ex = Assert.Throws<LoraAdapterException>(() =>
            LoraAdapterConverter.Convert(TestModels.TinyPeftAdapter(7), model.Path, Path.Combine(model.Path, "x.onnx_adapter")));
        Assert.Equal(LoraParameterNames.A(0, LoraTargets.KProj), ex.TensorName);
        Assert.Contains("q_proj, v_proj", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(model.Path, "x.onnx_adapter")));
    }

    /// <summary>Issue 14: malformed weights headers of a PEFT folder are a LoraAdapterException naming the file, never an untyped exception.</summary>
    [Theory]
    [InlineData("[]", "kind Array")]
    [InlineData("{\"__metadata__\":5}", "'__metadata__' is a Number")]
    [InlineData("{\"__metadata__\":{\"k\\ud800\":\"v\"}}", "not valid Unicode")]
    [InlineData("{\"x\\udc00\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor name \"x\\udc00\"")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "shape entry 0 (-2)")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[16,8]}}", "shape entry 0 (-2)")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2147483648,0],\"data_offsets\":[0,0]}}", "shape entry 0")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", "shape entry 0")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", "data offsets [8, 0]")]
    [InlineData("{\"x\":{\"dtype\":5,\"shape\":[2],\"data_offsets\":[0,8]}}", "'dtype'")]
    [InlineData("{\"x\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "'dtype'")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", "'data_offsets'")]
    [InlineData("{\"x\":{\"dt\\ud800\":1,\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "not valid Unicode")]
    [InlineData("{\"x\":[]}", "is a Array")]
    public void MalformedPeftWeightsHeadersAreRejectedNamingTheFile(string header, string expected)
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string peft = PeftTestFolder.Write(Path.Combine(temp.Path, "peft"), 4, PeftTestFolder.QPair());
        string weights = Path.Combine(peft, "adapter_model.safetensors");
        byte[] json = System.Text.Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(weights, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[16]]);
        LoraAdapterException e = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, peft));
        Assert.Equal(weights, e.AdapterPath);
        Assert.Contains(weights, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8TensorNamesInPeftWeightsAreRejected()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string peft = PeftTestFolder.Write(Path.Combine(temp.Path, "peft"), 4, PeftTestFolder.QPair());
        string weights = Path.Combine(peft, "adapter_model.safetensors");
        byte[] json = [.. "{\"x"u8, 0xFF, 0xFE, .. "\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"u8];
        File.WriteAllBytes(weights, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[8]]);
        LoraAdapterException e = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, peft));
        Assert.Contains("not valid Unicode", e.Message, StringComparison.Ordinal);
        Assert.Equal("x\uFFFD\uFFFD", e.TensorName);
    }

    /// <summary>Issue 14: bad entries of adapter_config.json are named with their field.</summary>
    [Theory]
    [InlineData("rank_pattern", "{\"((\": 4}", "not a valid regular expression")]
    [InlineData("alpha_pattern", "{\"[a-\": 4}", "not a valid regular expression")]
    [InlineData("rank_pattern", "{\"q_proj\": -2}", "ranks must be positive")]
    [InlineData("rank_pattern", "{\"q_\\ud800\": 4}", "adapter_config.json")]
    [InlineData("lora_alpha", "1e309", "adapter_config.json")]
    public void InvalidConfigEntriesAreRejectedNamingTheField(string field, string value, string expected)
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string peft = PeftTestFolder.Write(Path.Combine(temp.Path, "peft"), 4, PeftTestFolder.QPair());
        string config = Path.Combine(peft, "adapter_config.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))!.AsObject();
        json.Remove(field);
        string text = json.ToJsonString();
        File.WriteAllText(config, text[..^1] + $", \"{field}\": {value}}}");
        LoraAdapterException e = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, peft));
        Assert.Equal(config, e.AdapterPath);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHugeAlphaThatOverflowsTheScaledWeightsIsRejected()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string peft = PeftTestFolder.Write(Path.Combine(temp.Path, "peft"), 4, PeftTestFolder.QPair(), alpha: 1e300);
        LoraAdapterException e = Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, peft));
        Assert.Equal(QB, e.TensorName);
        Assert.Contains("not finite", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 14: a 32-bit length or offset near 2^31 or 2^32 anywhere in an <c>.onnx_adapter</c> file is a
    /// LoraAdapterException (it was an OverflowException): every aligned word of a small file is tried.
    /// </summary>
    [Fact]
    public void OnnxAdapterWordsNear2To31Or2To32AreRejectedAsCorrupt()
    {
        string a = LoraParameterNames.A(0, LoraTargets.QProj), b = LoraParameterNames.B(0, LoraTargets.QProj);
        byte[] bytes = OnnxAdapterFormat.Write([new LoraParameter(a, [64, 2], new float[128]), new LoraParameter(b, [2, 128], new float[256])], 1, 0);
        int corrupt = 0;
        foreach (uint value in new uint[] { 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF })
        {
            for (int at = 0; at + 4 <= bytes.Length; at += 4)
            {
                byte[] copy = (byte[])bytes.Clone();
                BitConverter.GetBytes(value).CopyTo(copy, at);
                try
                {
                    OnnxAdapterFormat.Read(copy, "memory");
                }
                catch (LoraAdapterException e)
                {
                    Assert.Contains("'memory'", e.Message, StringComparison.Ordinal);
                    corrupt++;
                }
            }
        }

        Assert.True(corrupt > 0);
    }

    private LoraAdapterException Reject(Dictionary<string, long[]> tensors)
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        return Assert.Throws<LoraAdapterException>(() => LoraAdapter.Load(fixture.Model, PeftTestFolder.Write(temp.Path, 4, tensors)));
    }
}
