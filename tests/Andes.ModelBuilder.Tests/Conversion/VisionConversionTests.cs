using System.Text.Json.Nodes;
using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;
using Andes.Testing.Onnx;

namespace Andes.ModelBuilder.Tests.Conversion;

/// <summary>What the converter writes for the vision tower: files, config sections, the log, and its errors.</summary>
public sealed class VisionConversionTests
{
    [Fact]
    public void VisionModelFolderHasTheVisionGraphProcessorConfigAndConfigSections()
    {
        string dir = TestModels.TinyFp32Model;
        foreach (string file in new[] { "vision.onnx", "vision.onnx.data", "processor_config.json" })
        {
            Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} is missing from the model folder.");
        }

        GenAIConfig config = GenAIConfig.Load(dir);
        GenAIVisionConfig vision = Assert.IsType<GenAIVisionConfig>(config.Model.Vision);
        Assert.Equal("vision.onnx", vision.Filename);
        Assert.Equal("processor_config.json", vision.ConfigFilename);
        Assert.Equal(2, vision.SpatialMergeSize);
        Assert.Equal(14, vision.PatchSize);
        Assert.Equal("pixel_values", vision.Inputs.PixelValues);
        Assert.Equal("image_grid_thw", vision.Inputs.ImageGridThw);
        Assert.Equal("image_features", vision.Outputs.ImageFeatures);
        Assert.Equal("image_features", config.Model.Embedding!.Inputs.ImageFeatures);
        Assert.Equal(151654, config.Model.ImageTokenId);

        JsonObject processor = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "processor_config.json")))!.AsObject();
        Assert.Equal(733, (int)processor["max_size"]!);
        Assert.Equal(14, (int)processor["patch_size"]!);
        Assert.Equal(2, (int)processor["hidden_stride"]!);
        Assert.Equal(0.48145466, (double)processor["image_mean"]![0]!, 8);
        Assert.Equal(0.26862954, (double)processor["image_std"]![0]!, 8);

        using var harness = new OnnxVisionHarness(dir);
        Assert.Equal(["pixel_values", "image_grid_thw"], harness.Session.InputMetadata.Keys);
        Assert.Equal([-1, 3 * 14 * 14], harness.Session.InputMetadata["pixel_values"].Dimensions);
        Assert.Equal([-1, 64], harness.Session.OutputMetadata["image_features"].Dimensions);
    }

    [Fact]
    public void ConversionLogCoversTheTowerAndConnectorWithTheirPrecisions()
    {
        JsonArray tensors = JsonNode.Parse(File.ReadAllText(Path.Combine(TestModels.TinyInt4Model, ModelConverter.ConversionLogFileName)))!["tensors"]!.AsArray();
        string Precision(string name) => (string)tensors.Single(t => (string)t!["name"]! == name)!["precision"]!;
        Assert.Equal("Int4", Precision("vision_encoder.trunk.blocks.0.attn.qkv.weight"));
        Assert.Equal("Int4", Precision("vision_encoder.trunk.blocks.1.mlp.fc2.weight"));
        Assert.Equal("Int4", Precision("mlp.0.weight"));
        Assert.Equal("Int4", Precision("mlp.2.weight"));
        Assert.Equal("Float32", Precision("vision_encoder.preprocessor.patchifier.proj.weight"));
        Assert.Equal("Float32", Precision("vision_encoder.preprocessor.pos_embed"));
        Assert.Equal("Float32", Precision("mlp.0.bias"));
        using SafeTensorsCheckpoint checkpoint = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        Assert.Equal(checkpoint.Names.Order(StringComparer.Ordinal), tensors.Select(t => (string)t!["name"]!).Where(n => n != "language_model.lm_head.weight").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TextOnlyCheckpointsConvertToTheLanguageModelLayout()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string model = Path.Combine(temp.Path, "model");
        ModelConversionResult result = ModelConverter.Convert(TestModels.TinyTextCheckpoint, model, new ModelConversionOptions { Precision = WeightPrecision.Float32, ContextLength = 256 });

        // ONNX Runtime GenAI's layout for language models: the decoder embeds token ids itself, model type qwen3.
        Assert.Equal(25, result.Tensors.Count);
        Assert.Equal(["decoder", "config"], result.StageElapsed.Select(s => s.Key));
        Assert.False(File.Exists(Path.Combine(model, "vision.onnx")));
        Assert.False(File.Exists(Path.Combine(model, "embedding.onnx")));
        Assert.False(File.Exists(Path.Combine(model, "processor_config.json")));
        GenAIConfig genai = GenAIConfig.Load(model);
        Assert.Equal("qwen3", genai.Model.Type);
        Assert.Null(genai.Model.Vision);
        Assert.Null(genai.Model.Embedding);
        Assert.Equal("input_ids", genai.Model.Decoder.Inputs.InputIds);

        // Same language-model weights (same seed and names): same logits as the vision model's decoder.
        using AndesModel text = AndesModel.Load(model);
        using AndesModel full = AndesModel.Load(TestModels.TinyFp32Model);
        using var textGenerator = new Generator(text, new GenerationOptions());
        using var fullGenerator = new Generator(full, new GenerationOptions());
        int[] ids = [151644, 872, 198, 9707];
        textGenerator.AppendTokens(ids);
        fullGenerator.AppendTokens(ids);
        Assert.True(LogitAssert.MaxAbsDiff(fullGenerator.GetLogits(), textGenerator.GetLogits()) <= 1e-5);
    }

    [Fact]
    public void MissingVisionTensorIsNamedBeforeAnythingIsWritten()
    {
        using TemporaryDirectory checkpoint = TestModels.CopyTinyCheckpoint(tensorToDrop: "vision_encoder.trunk.blocks.1.mlp.fc3.weight");
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        string model = Path.Combine(output.Path, "model");
        var ex = Assert.Throws<CheckpointException>(() => ModelConverter.Convert(checkpoint.Path, model));
        Assert.Contains("vision_encoder.trunk.blocks.1.mlp.fc3.weight", ex.Message);
        Assert.Equal("vision_encoder.trunk.blocks.1.mlp.fc3.weight", ex.TensorName);
        Assert.False(Directory.Exists(model));
    }

    [Fact]
    public void UnsupportedVisionConfigurationNamesTheField()
    {
        using TemporaryDirectory checkpoint = TestModels.CopyTinyCheckpoint(tensorToDrop: null);
        AndesVLConfig config = AndesVLConfig.Load(checkpoint.Path);
        config.VisionConfig!.FullAttBlockIndexes = [1];
        config.Save(checkpoint.Path);
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        var ex = Assert.Throws<CheckpointException>(() => ModelConverter.Convert(checkpoint.Path, output.Path, TestModels.Fp32Options));
        Assert.Contains("vision_config.fullatt_block_indexes", ex.Message);
    }

    [Fact]
    public void ProcessorPatchSizeThatDisagreesWithTheConfigIsAnError()
    {
        using TemporaryDirectory checkpoint = TestModels.CopyTinyCheckpoint(tensorToDrop: null);
        string file = Path.Combine(checkpoint.Path, "preprocessor_config.json");
        JsonObject processor = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        processor["patch_size"] = 16;
        File.WriteAllText(file, processor.ToJsonString());
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        var ex = Assert.Throws<CheckpointException>(() => ModelConverter.Convert(checkpoint.Path, output.Path, TestModels.Fp32Options));
        Assert.Contains("patch_size", ex.Message);
        Assert.Contains("preprocessor_config.json", ex.Message);
    }
}
