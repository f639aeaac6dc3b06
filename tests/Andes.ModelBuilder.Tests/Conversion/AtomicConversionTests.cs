using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;

namespace Andes.ModelBuilder.Tests.Conversion;

/// <summary>
/// A conversion is all-or-nothing: written beside the output, moved into place when complete with a manifest written
/// last; an existing model is refused without Overwrite and stays intact until the new one is complete.
/// </summary>
public sealed class AtomicConversionTests
{
    [Fact]
    public void AConversionWritesAManifestLastAndLeavesNoSiblingBehind()
    {
        using TemporaryDirectory root = TestModels.CreateTemporaryDirectory();
        string output = Path.Combine(root.Path, "model");
        ModelConversionResult result = ModelConverter.Convert(TestModels.TinyCheckpoint, output, TestModels.Int4Options);
        Assert.Equal(output, result.OutputDirectory);
        ModelFolderManifest manifest = ModelFolderManifest.TryLoad(output)!;
        Assert.Equal(
            [.. Directory.EnumerateFiles(output).Select(f => Path.GetFileName(f)!).Where(n => n != ModelFolderManifest.FileName).Order(StringComparer.Ordinal)],
            manifest.Files.Select(f => f.Path).ToArray());
        Assert.Contains(manifest.Files, f => f.Path == "decoder.onnx.data" && f.Bytes > 0);
        Assert.StartsWith("Andes.ModelBuilder ", manifest.CreatedBy, StringComparison.Ordinal);
        Assert.Empty(manifest.Verify(output));
        Assert.Equal(["model"], Directory.EnumerateFileSystemEntries(root.Path).Select(Path.GetFileName));
        using AndesModel model = AndesModel.Load(output);
    }

    [Fact]
    public void AnExistingModelIsRefusedWithoutOverwriteAndLeftAlone()
    {
        using TemporaryDirectory root = TestModels.CreateTemporaryDirectory();
        string output = Path.Combine(root.Path, "model");
        ModelConverter.Convert(TestModels.TinyCheckpoint, output, TestModels.Int4Options);
        string before = File.ReadAllText(Path.Combine(output, ModelFolderManifest.FileName));
        ModelFolderExistsException e = Assert.Throws<ModelFolderExistsException>(() => ModelConverter.Convert(TestModels.TinyCheckpoint, output, TestModels.Fp32Options));
        Assert.Equal(output, e.Directory);
        Assert.Contains("--force", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(output, ModelFolderManifest.FileName)));
        Assert.Single(Directory.EnumerateFileSystemEntries(root.Path));
    }

    [Fact]
    public void OverwriteReplacesTheConversionAndKeepsTheUsersFiles()
    {
        using TemporaryDirectory root = TestModels.CreateTemporaryDirectory();
        string output = Path.Combine(root.Path, "model");
        ModelConverter.Convert(TestModels.TinyCheckpoint, output, TestModels.Fp32LoraOptions);
        Assert.True(File.Exists(Path.Combine(output, LoraModelManifest.FileName)));
        File.WriteAllText(Path.Combine(output, "skills.json"), """{"skills": []}""");
        Directory.CreateDirectory(Path.Combine(output, "adapters"));
        File.WriteAllText(Path.Combine(output, "adapters", "ui.onnx_adapter"), "user data");

        ModelConverter.Convert(TestModels.TinyCheckpoint, output, new ModelConversionOptions { Precision = WeightPrecision.Int4, Overwrite = true });

        // The old conversion's LoRA files do not survive into a conversion without LoRA; the user's files do.
        Assert.False(File.Exists(Path.Combine(output, LoraModelManifest.FileName)));
        Assert.False(File.Exists(Path.Combine(output, ModelConverter.BaseDecoderFileName)));
        Assert.Equal("""{"skills": []}""", File.ReadAllText(Path.Combine(output, "skills.json")));
        Assert.Equal("user data", File.ReadAllText(Path.Combine(output, "adapters", "ui.onnx_adapter")));
        Assert.Empty(ModelFolderManifest.TryLoad(output)!.Verify(output));
        Assert.Single(Directory.EnumerateFileSystemEntries(root.Path));
    }

    [Fact]
    public void ACancelledReconversionLeavesTheOldModelWorkingAndCleansUp()
    {
        using TemporaryDirectory root = TestModels.CreateTemporaryDirectory();
        string output = Path.Combine(root.Path, "model");
        ModelConverter.Convert(TestModels.TinyCheckpoint, output, TestModels.Int4Options);
        string before = File.ReadAllText(Path.Combine(output, ModelFolderManifest.FileName));
        using var cts = new CancellationTokenSource();
        var progress = new CallbackProgress(p =>
        {
            if (p.TensorsDone == 5)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ModelConverter.Convert(TestModels.TinyCheckpoint, output, new ModelConversionOptions { Precision = WeightPrecision.Float32, Overwrite = true }, progress, cts.Token));
        Assert.Equal(before, File.ReadAllText(Path.Combine(output, ModelFolderManifest.FileName)));
        Assert.Empty(ModelFolderManifest.TryLoad(output)!.Verify(output));
        Assert.Single(Directory.EnumerateFileSystemEntries(root.Path)); // no .model.andes-partial-* left
        using AndesModel model = AndesModel.Load(output);
    }

    [Fact]
    public void LoadingRefusesATruncatedOrMixedFolderNamingTheFile()
    {
        using TemporaryDirectory root = TestModels.CreateTemporaryDirectory();
        string int4 = Path.Combine(root.Path, "int4");
        string fp32 = Path.Combine(root.Path, "fp32");
        ModelConverter.Convert(TestModels.TinyCheckpoint, int4, TestModels.Int4Options);
        ModelConverter.Convert(TestModels.TinyCheckpoint, fp32, TestModels.Fp32Options);

        // Mixed: the fp32 weights under the int4 graph (what an interrupted in-place conversion used to leave).
        File.Copy(Path.Combine(fp32, "decoder.onnx.data"), Path.Combine(int4, "decoder.onnx.data"), overwrite: true);
        ModelConfigurationException mixed = Assert.Throws<ModelConfigurationException>(() => AndesModel.Load(int4));
        Assert.Equal(Path.Combine(int4, "decoder.onnx.data"), mixed.FilePath);
        Assert.Contains("mixed", mixed.Message, StringComparison.Ordinal);
        Assert.Contains(ModelFolderManifest.TryLoad(int4)!.Verify(int4), p => p.StartsWith("decoder.onnx.data:", StringComparison.Ordinal));

        // Truncated and missing.
        using (FileStream data = File.OpenWrite(Path.Combine(fp32, "embedding.onnx.data")))
        {
            data.SetLength(data.Length / 2);
        }

        Assert.Equal(Path.Combine(fp32, "embedding.onnx.data"), Assert.Throws<ModelConfigurationException>(() => AndesModel.Load(fp32)).FilePath);
        File.Delete(Path.Combine(fp32, "embedding.onnx.data"));
        Assert.Contains("missing", Assert.Throws<ModelConfigurationException>(() => AndesModel.Load(fp32)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AManifestIsDataFromDiskAndMayNotLeaveTheFolder()
    {
        using TemporaryDirectory root = TestModels.CreateTemporaryDirectory();
        File.WriteAllText(Path.Combine(root.Path, ModelFolderManifest.FileName), """{"format_version": 1, "files": [{"path": "../etc/passwd", "bytes": 1, "xxh3": "0000000000000000"}]}""");
        ModelConfigurationException e = Assert.Throws<ModelConfigurationException>(() => ModelFolderManifest.TryLoad(root.Path));
        Assert.Equal("files[0].path", e.Field);
        File.WriteAllText(Path.Combine(root.Path, ModelFolderManifest.FileName), """{"format_version": 2, "files": []}""");
        Assert.Equal("format_version", Assert.Throws<ModelConfigurationException>(() => ModelFolderManifest.TryLoad(root.Path)).Field);
    }

    private sealed class CallbackProgress(Action<ModelConversionProgress> callback) : IProgress<ModelConversionProgress>
    {
        public void Report(ModelConversionProgress value) => callback(value);
    }
}
