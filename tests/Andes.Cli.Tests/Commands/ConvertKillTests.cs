using System.Text.Json.Nodes;
using Andes.GenAI;
using Andes.Testing;

namespace Andes.Cli.Tests.Commands;

/// <summary>
/// <c>andes convert --force</c> killed at any moment over a complete model leaves either the old model or the new one,
/// each complete and verifiable, never a mix; <c>andes verify</c> says which files differ.
/// </summary>
public sealed class ConvertKillTests
{
    [Fact]
    public void AKilledReconversionLeavesACompleteModel()
    {
        using TemporaryDirectory root = TestModels.CreateTemporaryDirectory();
        string output = Path.Combine(root.Path, "model");
        var (code, _, error) = CliRunner.Run("convert", "--checkpoint", TestModels.TinyCheckpoint, "--output", output, "--precision", "int4", "--context-length", "4096");
        Assert.True(code == 0, error);
        string oldManifest = File.ReadAllText(Path.Combine(output, ModelFolderManifest.FileName));

        int killed = 0;
        foreach (int ms in new[] { 400, 900, 1500, 2500 })
        {
            if (CliRunner.RunAndKill(TimeSpan.FromMilliseconds(ms), "convert", "--checkpoint", TestModels.TinyCheckpoint, "--output", output, "--precision", "fp32", "--context-length", "4096", "--force"))
            {
                killed++;
            }

            // Whatever the moment: the folder verifies against its own manifest, which is the old one or a new one.
            (code, string verified, error) = CliRunner.Run("verify", output);
            Assert.True(code == 0, $"killed after {ms} ms: {error}");
            Assert.StartsWith("ok:", verified, StringComparison.Ordinal);
            using AndesModel model = AndesModel.Load(output);

            // Never a mix: the old int4 model with its own manifest, or the complete fp32 one with a new manifest.
            bool old = File.ReadAllText(Path.Combine(output, ModelFolderManifest.FileName)) == oldManifest;
            string precision = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "andes_conversion.json")))!["precision"]!.GetValue<string>();
            Assert.Equal(old ? "Int4" : "Float32", precision);
        }

        Assert.True(killed > 0, "every conversion finished before its kill; the test proved nothing");

        (code, _, error) = CliRunner.Run("convert", "--checkpoint", TestModels.TinyCheckpoint, "--output", output);
        Assert.NotEqual(0, code);
        Assert.Contains("--force", error, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyNamesTheFileThatChanged()
    {
        using TemporaryDirectory root = TestModels.CreateTemporaryDirectory();
        string output = Path.Combine(root.Path, "model");
        Assert.Equal(0, CliRunner.Run("convert", "--checkpoint", TestModels.TinyCheckpoint, "--output", output, "--context-length", "4096").ExitCode);
        string data = Path.Combine(output, "embedding.onnx.data");
        byte[] bytes = File.ReadAllBytes(data);
        bytes[bytes.Length / 2] ^= 0x40; // same size, different content: only the hash sees it
        File.WriteAllBytes(data, bytes);
        var (code, _, error) = CliRunner.Run("verify", output);
        Assert.Equal(1, code);
        Assert.Contains("embedding.onnx.data: content differs", error, StringComparison.Ordinal);

        (code, _, error) = CliRunner.Run("verify", root.Path);
        Assert.Equal(1, code);
        Assert.Contains(ModelFolderManifest.FileName, error, StringComparison.Ordinal);
    }
}
