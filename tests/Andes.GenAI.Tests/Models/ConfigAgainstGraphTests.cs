using System.Text.Json.Nodes;
using Andes.GenAI;
using Andes.Testing;

namespace Andes.GenAI.Tests.Models;

/// <summary>
/// A genai_config.json that contradicts the graphs is refused at load, naming the field, the file and the graph's
/// value, instead of failing inside ONNX Runtime on the first request.
/// </summary>
public sealed class ConfigAgainstGraphTests
{
    [Theory]
    [InlineData("head_size")]
    [InlineData("num_key_value_heads")]
    [InlineData("hidden_size")]
    [InlineData("vocab_size")]
    public void AFieldTheGraphsContradictIsRefusedNamingFieldFileAndGraphValue(string field)
    {
        using TemporaryDirectory temp = TestModels.CopyModel(TestModels.TinyFp32Model);

        string configFile = Path.Combine(temp.Path, GenAIConfig.FileName);
        JsonNode config = JsonNode.Parse(File.ReadAllText(configFile))!;
        JsonNode section = field == "vocab_size" ? config["model"]! : config["model"]!["decoder"]!;
        int truth = section[field]!.GetValue<int>();
        section[field] = truth + 1;
        File.WriteAllText(configFile, config.ToJsonString());

        ModelConfigurationException e = Assert.Throws<ModelConfigurationException>(() => AndesModel.Load(temp.Path));
        Assert.Equal(field == "vocab_size" ? "model.vocab_size" : $"model.decoder.{field}", e.Field);
        Assert.Equal(configFile, e.FilePath);
        Assert.Contains($"is {truth + 1} but the graph says {truth}", e.Message, StringComparison.Ordinal);
    }
}
