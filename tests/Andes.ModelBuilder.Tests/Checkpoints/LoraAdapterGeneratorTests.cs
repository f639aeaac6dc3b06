using System.Text.Json;
using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;

namespace Andes.ModelBuilder.Tests.Checkpoints;

public sealed class LoraAdapterGeneratorTests
{
    [Fact]
    public void WritesAPeftFolderWithRealNamesShapesAndConfig()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        GeneratedLoraAdapter result = LoraAdapterGenerator.Generate(TestModels.TinyCheckpoint, temp.Path, new LoraAdapterGeneratorOptions { Rank = 4, Seed = 3, Targets = LoraTargets.QProj | LoraTargets.DownProj });
        Assert.Equal(2 * 2 * 2, result.TensorCount);
        Assert.Equal(8.0, result.Alpha);
        Assert.Equal(2.0, result.Scale);

        using SafeTensorsFile file = SafeTensorsFile.Open(Path.Combine(temp.Path, "adapter_model.safetensors"));
        Assert.Equal([4L, 64], file.GetInfo("base_model.model.language_model.model.layers.1.self_attn.q_proj.lora_A.weight").Shape);
        Assert.Equal([128L, 4], file.GetInfo("base_model.model.language_model.model.layers.1.self_attn.q_proj.lora_B.weight").Shape);
        Assert.Equal([4L, 128], file.GetInfo("base_model.model.language_model.model.layers.0.mlp.down_proj.lora_A.weight").Shape);
        Assert.Equal([64L, 4], file.GetInfo("base_model.model.language_model.model.layers.0.mlp.down_proj.lora_B.weight").Shape);
        Assert.Equal(result.BaseModelFingerprint, file.Metadata["andes.base_model_fingerprint"]);

        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "adapter_config.json")));
        Assert.Equal("LORA", config.RootElement.GetProperty("peft_type").GetString());
        Assert.Equal(4, config.RootElement.GetProperty("r").GetInt32());
        Assert.Equal(8.0, config.RootElement.GetProperty("lora_alpha").GetDouble());
        Assert.Equal(["q_proj", "down_proj"], config.RootElement.GetProperty("target_modules").EnumerateArray().Select(e => e.GetString()));
        Assert.False(config.RootElement.GetProperty("use_rslora").GetBoolean());
    }

    [Fact]
    public void TheSameSeedWritesIdenticalFilesAndTheMergedUpdateHasTheAskedStrength()
    {
        using TemporaryDirectory a = TestModels.CreateTemporaryDirectory();
        using TemporaryDirectory b = TestModels.CreateTemporaryDirectory();
        using TemporaryDirectory c = TestModels.CreateTemporaryDirectory();
        var options = new LoraAdapterGeneratorOptions { Rank = 8, Seed = 5, UseRsLora = true, Strength = 0.5f };
        LoraAdapterGenerator.Generate(TestModels.TinyCheckpoint, a.Path, options);
        LoraAdapterGenerator.Generate(TestModels.TinyCheckpoint, b.Path, options);
        options.Seed = 6;
        LoraAdapterGenerator.Generate(TestModels.TinyCheckpoint, c.Path, options);
        byte[] first = File.ReadAllBytes(Path.Combine(a.Path, "adapter_model.safetensors"));
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(b.Path, "adapter_model.safetensors")));
        Assert.NotEqual(first, File.ReadAllBytes(Path.Combine(c.Path, "adapter_model.safetensors")));

        // scale * B A for up_proj of layer 0 (in 64, out 128): entries of standard deviation about 0.5 / sqrt(64).
        using SafeTensorsFile file = SafeTensorsFile.Open(Path.Combine(a.Path, "adapter_model.safetensors"));
        float[] aw = new float[8 * 64], bw = new float[128 * 8];
        file.ReadFloat32("base_model.model.language_model.model.layers.0.mlp.up_proj.lora_A.weight", 0, aw);
        file.ReadFloat32("base_model.model.language_model.model.layers.0.mlp.up_proj.lora_B.weight", 0, bw);
        double scale = 16.0 / Math.Sqrt(8), sum = 0;
        for (int i = 0; i < 128; i++)
        {
            for (int j = 0; j < 64; j++)
            {
                double d = 0;
                for (int t = 0; t < 8; t++)
                {
                    d += bw[(i * 8) + t] * aw[(t * 64) + j];
                }

                sum += scale * scale * d * d;
            }
        }

        double std = Math.Sqrt(sum / (128 * 64));
        Assert.InRange(std, 0.5 / 8 * 0.8, 0.5 / 8 * 1.2);
        Assert.NotEqual(0f, bw.Max(MathF.Abs)); // unlike a fresh PEFT adapter, B is not zero
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        Assert.Throws<ArgumentException>(() => LoraAdapterGenerator.Generate(TestModels.TinyCheckpoint, temp.Path, new LoraAdapterGeneratorOptions { Rank = 0 }));
        Assert.Throws<ArgumentException>(() => LoraAdapterGenerator.Generate(TestModels.TinyCheckpoint, temp.Path, new LoraAdapterGeneratorOptions { Targets = LoraTargets.None }));
        Assert.Throws<ArgumentException>(() => LoraAdapterGenerator.Generate(TestModels.TinyCheckpoint, temp.Path, new LoraAdapterGeneratorOptions { DataType = TensorDataType.Int8 }));
    }
}
