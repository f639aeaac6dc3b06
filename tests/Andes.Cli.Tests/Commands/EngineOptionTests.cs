using Andes.Testing;

namespace Andes.Cli.Tests.Commands;

/// <summary><c>--engine andes|onnxruntime-genai</c> on generate, describe and bench: the same ids on both engines.</summary>
public sealed class EngineOptionTests
{
    private static readonly string Prompt = string.Join(",", new[] { 151644, 872, 198, 9707, 151645, 198, 151644, 77091, 198 });

    [Fact]
    public void GenerateGivesTheSameGreedyIdsOnBothEngines()
    {
        string[] Ids(string engine, params string[] extra)
        {
            var (code, output, error) = CliRunner.Run(["generate", "--model", TestModels.TinyInt4Model, "--max-tokens", "8", "--greedy", "--ids", "--engine", engine, .. extra]);
            Assert.True(code == 0, error);
            return output.Trim().Split(',');
        }

        Assert.Equal(Ids("andes", "--input-ids", Prompt), Ids("onnxruntime-genai", "--input-ids", Prompt));
        string image = TestImages.Path("noise_100x60.png");
        Assert.Equal(Ids("andes", "--prompt", "What is it?", "--image", image), Ids("onnxruntime-genai", "--prompt", "What is it?", "--image", image));
    }

    [Fact]
    public void AnUnknownEngineIsAClearError()
    {
        var (code, _, error) = CliRunner.Run("generate", "--model", TestModels.TinyInt4Model, "--input-ids", Prompt, "--engine", "llama");
        Assert.NotEqual(0, code);
        Assert.Contains("'llama' is not an engine", error);
    }

    [Fact]
    public void AnAdapterOnOnnxRuntimeGenAIIsRefusedNamingTheEngine()
    {
        // The file exists (so the check before loading passes): the engine refuses any adapter before reading it.
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string adapter = Path.Combine(temp.Path, "some.onnx_adapter");
        File.WriteAllBytes(adapter, [0]);
        var (code, output, error) = CliRunner.Run("generate", "--model", TestModels.TinyInt4Model, "--input-ids", Prompt, "--engine", "onnxruntime-genai", "--adapter", adapter);
        Assert.NotEqual(0, code);
        Assert.Contains("onnxruntime-genai engine does not support LoRA adapter", error);
        Assert.Equal(string.Empty, output.Trim());
    }

    [Fact]
    public void DescribeRunsOnOnnxRuntimeGenAI()
    {
        var (code, output, error) = CliRunner.Run("describe", "--model", TestModels.TinyInt4Model, TestImages.Path("noise_100x60.png"), "--engine", "onnxruntime-genai", "--max-tokens", "4");
        Assert.True(code == 0, error);
        Assert.Contains("prompt tokens", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchComparesBothEnginesInOneRun()
    {
        var (code, output, error) = CliRunner.Run("bench", "--model", TestModels.TinyInt4Model, "--engine", "andes,onnxruntime-genai", "--threads", "1,0", "--prompt-lengths", "16", "--decode-tokens", "4", "--runs", "1");
        Assert.True(code == 0, error);
        Assert.Contains("andes", output, StringComparison.Ordinal);
        Assert.Contains("onnxrunti", output, StringComparison.Ordinal); // the table may wrap the name
        Assert.Contains("ONNX Runtime's default", output, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchRejectsBadValuesBeforeLoadingAnything()
    {
        var (code, _, error) = CliRunner.Run("bench", "--model", "/nonexistent", "--engine", "andes,onnxruntime-genai", "--threads", "1,2,3");
        Assert.NotEqual(0, code);
        Assert.Contains("--threads", error);
    }
}
