using Andes.GenAI;
using Andes.Testing;

namespace Andes.GenAI.Tests.Generation;

/// <summary>NaN logits (broken weights) fail the request with an error that names the model folder and the adapter.</summary>
public sealed class NonFiniteLogitsTests
{
    [Theory]
    [InlineData(GenerationEngine.Andes)]
    [InlineData(GenerationEngine.OnnxRuntimeGenAI)]
    public void NaNLogitsNameTheModelAndTheAdapter(GenerationEngine engine)
    {
        using TemporaryDirectory temp = TestModels.CopyModel(TestModels.TinyFp32Model);

        // Every decoder weight NaN (0xFF bytes), same size: the manifest's size check passes, the logits cannot.
        string data = Path.Combine(temp.Path, "decoder.onnx.data");
        File.WriteAllBytes(data, Enumerable.Repeat((byte)0xFF, (int)new FileInfo(data).Length).ToArray());
        using AndesModel model = AndesModel.Load(temp.Path, new AndesModelOptions { Engine = engine });
        using ITokenGenerator generator = model.CreateGenerator(new GenerationOptions { DoSample = false, MaxNewTokens = 2 });
        generator.AppendTokens([151644, 872, 198]);
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => generator.GenerateNextToken());
        Assert.Contains(temp.Path, e.Message, StringComparison.Ordinal);
        Assert.Contains("NaN logits", e.Message, StringComparison.Ordinal);
        Assert.Contains("with no LoRA adapter", e.Message, StringComparison.Ordinal);
    }
}
