using Andes.GenAI;
using Andes.Testing;

namespace Andes.GenAI.Tests.Models;

/// <summary>Every load failure is a <see cref="ModelConfigurationException"/> that names the file.</summary>
public sealed class LoadFailureTests
{
    [Fact]
    public void ATruncatedWeightsFileNamesTheGraphAndItsDataFile()
    {
        using TemporaryDirectory temp = TestModels.CopyModel(TestModels.TinyFp32Model, withManifest: false); // the manifest would catch it first
        string data = Path.Combine(temp.Path, "decoder.onnx.data");
        using (FileStream stream = File.OpenWrite(data))
        {
            stream.SetLength(stream.Length / 3);
        }

        ModelConfigurationException e = Assert.Throws<ModelConfigurationException>(() => AndesModel.Load(temp.Path));
        Assert.Equal(Path.Combine(temp.Path, "decoder.onnx"), e.FilePath);
        Assert.Contains("decoder.onnx.data", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(e.InnerException);
    }

    [Fact]
    public void ADamagedTokenizerNamesTheFile()
    {
        using TemporaryDirectory temp = TestModels.CopyModel(TestModels.TinyFp32Model);
        string tokenizer = Path.Combine(temp.Path, "tokenizer.json");
        byte[] bytes = File.ReadAllBytes(tokenizer);
        bytes.AsSpan(bytes.Length / 2, 16).Fill((byte)'{'); // same size: the manifest's size check passes
        File.WriteAllBytes(tokenizer, bytes);
        ModelConfigurationException e = Assert.Throws<ModelConfigurationException>(() => AndesModel.Load(temp.Path));
        Assert.Equal(tokenizer, e.FilePath);
        Assert.Contains("tokenizer.json", e.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidDataException>(e.InnerException);
    }
}
